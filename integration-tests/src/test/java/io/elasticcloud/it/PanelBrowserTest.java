package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The control panel and the admin page ({@code /panel/}) in a real browser ({@link Browser}:
 * headless chromium), against the system of the client tests ({@link SharedGuestSystem}: two API
 * instances behind HAProxy, a real guest's host), through the load balancer as a customer would
 * reach it. Every action is the panel's own buttons and forms; what they did is checked through
 * the API and on the guest's serial console. Screenshots land in {@code target/screenshots/}.
 */
class PanelBrowserTest {
    private static final Duration PAGE = Duration.ofSeconds(20);
    private static final Duration BOOT = Duration.ofMinutes(4);
    private static final int MIB = 1024 * 1024;
    private static final Path WORK = Path.of("target", "panel-browser").toAbsolutePath();
    @RegisterExtension
    static final SharedGuestSystem CLOUD = new SharedGuestSystem();
    private static StandardGuestSystem cloud;

    @BeforeAll
    static void system() throws IOException {
        Files.createDirectories(WORK);
        cloud = CLOUD.get();
    }

    private static URI page(String path) {
        return cloud.endpoint().resolve(path);
    }

    private static void signIn(Browser browser, Customer customer) {
        browser.open(page("/panel/"));
        browser.await("the sign-in form", PAGE, d -> Optional.of(browser.find("#sign-in")).filter(WebElement::isDisplayed));
        browser.find("#user").sendKeys(customer.uuid());
        browser.find("#key").sendKeys(customer.key());
        browser.find("#sign-in button[type=submit]").click();
        browser.await("the panel after sign-in", PAGE, d -> Optional.of(browser.find("#main")).filter(WebElement::isDisplayed));
        assertThat(browser.find("#who").getText()).isEqualTo(customer.uuid());
    }

    /** The table row of a server or drive named {@code name}, once the panel lists it. */
    private static WebElement row(Browser browser, String table, String name, Duration limit) {
        return browser.await(name + " listed in " + table, limit, d -> d.findElements(By.cssSelector(table + " tbody tr"))
                .stream().filter(r -> r.findElement(By.cssSelector("td.name")).getText().equals(name)).findFirst());
    }

    /**
     * Clicks {@code button} in the row of {@code table} named {@code name}; again if the panel drew
     * the table anew between finding the row and clicking (it does after every change it makes).
     */
    private static void clickInRow(Browser browser, String table, String name, String button) {
        browser.await(button + " of " + name + " clicked in " + table, PAGE, d -> d.findElements(By.cssSelector(
                table + " tbody tr")).stream().filter(r -> r.findElement(By.cssSelector("td.name")).getText().equals(name))
                .findFirst().map(r -> {
                    r.findElement(By.cssSelector(button)).click();
                    return true;
                }));
    }

    /**
     * Clicks {@code button} in the server's row; again if the panel drew the table anew between
     * finding the button and clicking it (it redraws on every poll, so a found button can go stale).
     */
    private static void clickServer(Browser browser, String server, String button) {
        browser.await(button + " of server " + server + " clicked", PAGE, d -> {
            d.findElement(By.cssSelector("#servers tr[data-server='" + server + "'] " + button)).click();
            return Optional.of(true);
        });
    }

    /** Whether {@code button} in the server's row is enabled, read from one drawing of the table. */
    private static boolean enabled(Browser browser, String server, String button) {
        return browser.await(button + " of server " + server + " read", PAGE, d -> Optional.of(
                d.findElement(By.cssSelector("#servers tr[data-server='" + server + "'] " + button)).isEnabled()));
    }

    private static void awaitState(Browser browser, String server, String state, Duration limit) {
        browser.await("server " + server + " " + state + " in the panel", limit, d -> Optional.of(
                d.findElement(By.cssSelector("#servers tr[data-server='" + server + "'] td.state")))
                .filter(cell -> cell.getText().equals(state)));
    }

    private static void confirmDialog(Browser browser) {
        browser.await("the confirmation dialog", PAGE, d -> Optional.of(d.switchTo().alert())).accept();
    }

    @Test
    void aCustomerCreatesAServerFromALibraryImageStopsAndDestroysIt() throws Exception {
        Customer customer = CLOUD.newCustomer();
        String auth = PlainHttp.basic(customer);
        try (Browser browser = Browser.start("panel-server")) {
            signIn(browser, customer);
            WebElement form = browser.find("#new-server");
            form.findElement(By.name("name")).sendKeys("web one");
            browser.await("the library in the image list", PAGE, d -> Optional.of(new Select(browser.find("#images")))
                    .filter(s -> s.getOptions().size() > 1));
            new Select(browser.find("#images")).selectByValue(SharedGuestSystem.IMAGE);
            form.findElement(By.cssSelector("button[type=submit]")).click();

            // the drive imaged from the library (its progress shown), then the server on it, active
            WebElement created = row(browser, "#servers", "web one", Duration.ofMinutes(5));
            String server = created.getAttribute("data-server");
            try {
                awaitState(browser, server, "active", PAGE);
                String disk = row(browser, "#drives", "web one disk", PAGE).getAttribute("data-drive");
                Map<String, String> info = PlainHttp.parseObject(cloud.http().get("/servers/" + server + "/info", auth).text());
                assertThat(info).containsEntry("status", "active").containsEntry("ide:0:0", disk).containsEntry("boot", "ide:0:0");
                String console = Libvirt.awaitConsole(cloud.agent, server, TestGuest.READY, 1, BOOT);
                assertThat(console).as("the guest booted from the drive imaged from the library").contains("bus=ide ro=0");
                assertThat(enabled(browser, server, "button.start")).as("Start on an active server").isFalse();
                browser.screenshot("panel");
                consoleShowsTheGuestsScreen(browser, server, auth);
                adminScreenshot(browser, server);
                browser.open(page("/panel/"));
                awaitState(browser, server, "active", PAGE);

                clickServer(browser, server, "button.stop");
                awaitState(browser, server, "stopped", Duration.ofMinutes(1));
                assertThat(enabled(browser, server, "button.console")).as("Console on a stopped server").isFalse();
                clickServer(browser, server, "button.console");
                assertThat(browser.driver.getWindowHandles()).as("no console tab for a stopped server").hasSize(1);
                assertThat(PlainHttp.parseObject(cloud.http().get("/servers/" + server + "/info", auth).text()))
                        .containsEntry("status", "stopped").containsEntry("persistent", "true");

                clickServer(browser, server, "button.destroy");
                confirmDialog(browser);
                browser.await("the server gone from the panel", PAGE,
                        d -> Optional.of(d.findElements(By.cssSelector("#servers tbody tr")).isEmpty()).filter(Boolean::booleanValue));
                assertThat(cloud.http().get("/servers/" + server + "/info", auth).status()).isEqualTo(404);

                clickInRow(browser, "#drives", "web one disk", "button.danger");
                confirmDialog(browser);
                Wait.until("the server's disk destroyed", PAGE,
                        () -> cloud.http().get("/drives/" + disk + "/info", auth).status() == 404);
            } finally {
                destroyIfLeft(server, auth);
            }
        }
    }

    @Test
    void aFileUploadedThroughThePanelIsReadBackByteIdentical() throws Exception {
        Customer customer = CLOUD.newCustomer();
        String auth = PlainHttp.basic(customer);
        // half random (stored as it is), half patterned (compressible): 32 MiB, 8 chunks
        byte[] content = new byte[32 * MIB];
        System.arraycopy(TestBytes.random(17, 16 * MIB), 0, content, 0, 16 * MIB);
        System.arraycopy(TestBytes.patterned(16 * MIB), 0, content, 16 * MIB, 16 * MIB);
        Path file = WORK.resolve("upload-32M.img");
        Files.write(file, content);
        // a customer-chosen name that is markup: the panel must show it as text and run nothing
        String hostile = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";
        assertThat(cloud.http().post("/drives/create", auth, "name " + hostile + "\nsize 1M\n").status()).isEqualTo(200);
        try (Browser browser = Browser.start("panel-upload")) {
            signIn(browser, customer);
            WebElement shown = row(browser, "#drives", hostile, PAGE);
            assertThat(shown.findElements(By.tagName("img"))).isEmpty();
            assertThat(shown.findElements(By.tagName("script"))).isEmpty();

            browser.find("#upload-file").sendKeys(file.toString());
            browser.find("#upload button[type=submit]").click();
            String drive = browser.await("the upload done", Duration.ofMinutes(3),
                    d -> Optional.ofNullable(browser.find("#upload-text").getAttribute("data-done")));
            assertThat(browser.find("#upload-text").getText()).startsWith("uploaded 32 MiB");
            assertThat(browser.find("#upload-progress").getAttribute("value")).isEqualTo("1");
            browser.screenshot("panel-upload");
            assertThat(browser.driver.executeScript("return window.pwned === undefined")).isEqualTo(true);
            // polls drew the new drive's row; the row of the drive that did not change is the same element
            row(browser, "#drives", "upload-32M.img", PAGE);
            assertThat(shown.findElement(By.cssSelector("td.name")).getText())
                    .as("an unchanged row left as it was by the polls").isEqualTo(hostile);

            byte[] back = new byte[content.length];
            for (int offset = 0; offset < content.length; offset += 4 * MIB) {
                PlainHttp.Reply read = cloud.http().get("/drives/" + drive + "/read/" + offset + "/4M", auth);
                assertThat(read.status()).as(read.describe()).isEqualTo(200);
                assertThat(read.body()).hasSize(4 * MIB);
                System.arraycopy(read.body(), 0, back, offset, 4 * MIB);
            }
            assertThat(Arrays.equals(back, content)).as("the drive holds the file, byte for byte").isTrue();
            assertThat(PlainHttp.parseObject(cloud.http().get("/drives/" + drive + "/info", auth).text()))
                    .containsEntry("size", String.valueOf(content.length)).containsEntry("name", "upload-32M.img");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** A failed check leaves no guest running: the system's shutdown stops its processes, not its guests. */
    private static void destroyIfLeft(String server, String auth) {
        if (cloud.http().get("/servers/" + server + "/info", auth).status() == 200) {
            cloud.http().post("/servers/" + server + "/destroy", auth, "");
        }
    }

    /**
     * The row's Console button opens the browser console in a tab of its own; once noVNC is
     * connected its canvas must hold the guest's screen: the canvas pixels (read in the page as a
     * PNG, lossless) against the guest's framebuffer read directly from its VNC (the server's
     * password, at its vnc:ip and vnc:port) just before and just after, each pixel equal to one of
     * the two (the text cursor blinks between reads), colours compared as 0xRRGGBB whatever the
     * pixel format each side used. Retried while noVNC's canvas catches up; then the tab closed.
     */
    private static void consoleShowsTheGuestsScreen(Browser browser, String server, String auth) throws Exception {
        Map<String, String> info = PlainHttp.parseObject(cloud.http().get("/servers/" + server + "/info", auth).text());
        String panel = browser.driver.getWindowHandle();
        assertThat(enabled(browser, server, "button.console")).as("Console on an active server").isTrue();
        clickServer(browser, server, "button.console");
        String tab = browser.await("the console's tab", PAGE, d -> d.getWindowHandles().stream().filter(h -> !h.equals(panel)).findFirst());
        browser.driver.switchTo().window(tab);
        browser.await("noVNC connected", PAGE, d -> Optional.of(browser.find("#status").getText()).filter("Connected"::equals));
        String[] last = {"nothing compared yet"};
        Wait.until("the console's canvas showing the guest's framebuffer", PAGE, () -> {
            try {
                String mismatch = compareCanvas(browser, info);
                last[0] = mismatch;
                return mismatch.isEmpty();
            } catch (IOException e) {
                last[0] = e.toString();
                return false;
            }
        }, () -> last[0]);
        browser.screenshot("console");
        browser.driver.close();
        browser.driver.switchTo().window(panel);
    }

    /** Empty when the canvas matches the guest's framebuffer (read directly before and after it), else what differs. */
    private static String compareCanvas(Browser browser, Map<String, String> info) throws IOException {
        RfbSession before = direct(info);
        String url = (String) browser.driver.executeScript("const c = document.querySelector('#screen canvas');"
                + " return c && c.width > 0 ? c.toDataURL('image/png') : null;");
        RfbSession after = direct(info);
        if (url == null) {
            return "no canvas drawn yet";
        }
        BufferedImage canvas = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
        if (canvas.getWidth() != before.width() || canvas.getHeight() != before.height()) {
            return "canvas " + canvas.getWidth() + "x" + canvas.getHeight() + ", guest " + before.width() + "x" + before.height();
        }
        long differing = 0;
        Map<Integer, Long> colours = new HashMap<>();
        for (int y = 0; y < canvas.getHeight(); y++) {
            for (int x = 0; x < canvas.getWidth(); x++) {
                int shown = canvas.getRGB(x, y) & 0xffffff;
                colours.merge(shown, 1L, Long::sum);
                if (shown != before.rgb(x, y) && shown != after.rgb(x, y)) {
                    differing++;
                }
            }
        }
        long background = colours.values().stream().max(Long::compare).orElse(0L);
        long drawn = (long) canvas.getWidth() * canvas.getHeight() - background;
        if (differing > 0 || drawn < 1000) {
            return differing + " pixels differ from the guest's framebuffer; " + drawn + " pixels drawn on the background";
        }
        return "";
    }

    private static RfbSession direct(Map<String, String> info) throws IOException {
        try (RfbSession session = RfbSession.direct(info.get("vnc:ip"), Integer.parseInt(info.get("vnc:port")), info.get("vnc:password"))) {
            session.fullUpdate();
            return session;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** The admin page in the same tab while the server runs (each page keeps its own sign-in). */
    private static void adminScreenshot(Browser browser, String server) {
        signInAsAdmin(browser);
        browser.await("the host running one server", PAGE, d -> Optional.of(
                d.findElement(By.cssSelector("#hosts tr[data-node='" + cloud.hosts.agentNode + "'] td.guests")))
                .filter(cell -> cell.getText().equals("1")));
        browser.screenshot("admin");
    }

    private static void signInAsAdmin(Browser browser) {
        // one instance, not the load balancer: each instance has the admin password it was given
        browser.open(cloud.api.baseUri().resolve("/panel/admin.html"));
        browser.await("the admin sign-in form", PAGE, d -> Optional.of(browser.find("#sign-in")).filter(WebElement::isDisplayed));
        browser.find("#key").sendKeys(cloud.api.adminPassword());
        browser.find("#sign-in button[type=submit]").click();
    }

    @Test
    void theAdminPageShowsTheHostAndItsStorage() throws Exception {
        try (Browser browser = Browser.start("admin")) {
            signInAsAdmin(browser);
            WebElement host = browser.await("the agent's host listed", PAGE, d -> Optional.of(
                    d.findElement(By.cssSelector("#hosts tr[data-node='" + cloud.hosts.agentNode + "']"))));
            assertThat(host.findElement(By.cssSelector("td.state")).getText()).isEqualTo("up");
            assertThat(host.findElements(By.tagName("meter"))).hasSize(2);
            browser.await("a storage node listed", PAGE,
                    d -> d.findElements(By.cssSelector("#storage tbody tr")).stream().findFirst());
            browser.await("the pool of the test network listed", PAGE,
                    d -> d.findElements(By.cssSelector("#pools tbody tr")).stream().findFirst());
            assertThat(browser.find("#customer-count").getText()).matches("[0-9]+ customers?");
        }
    }
}
