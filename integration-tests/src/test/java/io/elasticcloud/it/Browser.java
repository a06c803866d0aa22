package io.elasticcloud.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless chromium for the browser tests: Debian's {@code chromium} driven through Debian's
 * {@code chromedriver} ({@code deploy/install-deps.sh}), both by path, so that Selenium never
 * looks for or downloads a browser or driver of its own (works offline). A fresh profile in a
 * temporary directory each time, removed by {@link #close()}. Screenshots go to
 * {@code target/screenshots/} (kept with the build's other artifacts); the driver's log to
 * {@code target/chromedriver-NAME.log}.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("it.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("it.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private Browser(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /** Starts chromium (1280×900 window); {@code name} names its driver's log. */
    static Browser start(String name) throws IOException {
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: deploy/install-deps.sh installs chromium and chromium-driver");
            }
        }
        Path profile = Files.createTempDirectory("elastic-browser-");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(Path.of("target", "chromedriver-" + name + ".log").toAbsolutePath().toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: the tests run as root, where chromium's sandbox refuses to start
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--user-data-dir=" + profile);
        try {
            return new Browser(new ChromeDriver(service, options), service, profile);
        } catch (RuntimeException e) {
            service.stop();
            delete(profile);
            throw e;
        }
    }

    void open(URI page) {
        driver.get(page.toString());
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /**
     * Waits until {@code probe} answers something for the page as it is (a lookup that fails, or
     * an element replaced meanwhile, counts as not yet); answers it.
     */
    <T> T await(String what, Duration limit, Function<ChromeDriver, Optional<T>> probe) {
        Object[] found = new Object[1];
        Wait.until(what, limit, () -> {
            try {
                Optional<T> r = probe.apply(driver);
                r.ifPresent(v -> found[0] = v);
                return r.isPresent();
            } catch (WebDriverException e) {
                return false;
            }
        }, () -> "page text:\n" + pageText());
        @SuppressWarnings("unchecked")
        T value = (T) found[0];
        return value;
    }

    /** The visible text of the page, for failure messages. */
    String pageText() {
        try {
            return driver.findElement(By.tagName("body")).getText();
        } catch (WebDriverException e) {
            return "(no page: " + e.getMessage().lines().findFirst().orElse("") + ")";
        }
    }

    /** Saves the window as {@code target/screenshots/NAME.png}; answers the file. */
    Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path taken = driver.getScreenshotAs(OutputType.FILE).toPath();
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.move(taken, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            delete(profile);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover profile in /tmp is harmless; the test's result is what matters
        }
    }
}
