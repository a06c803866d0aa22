package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Customers attacking drives through their guests, on the real system with real TCG guests: the
 * test guest (deploy/build-test-guest.sh) writes its marker at 1 MiB of every disk whose first bytes
 * are {@code ELASTIC-TEST-DATA}, and says on its console whether the write worked. A library drive
 * attached as a disk, and another customer's drive shared through {@code readers}, must reach the
 * guest read-only (the write fails, the bytes read back unchanged through the API); a reader's
 * running server must not lock the owner out of its drive; no server starts on a drive being
 * imaged. Boots from the library's test ISO (a standard cdrom). Fails, never skips.
 */
class HostileAttachmentTest {
    private static final Duration BOOT = Duration.ofSeconds(180);
    private static final Path WORK = Path.of("target", "hostile-attachment").toAbsolutePath();
    private static final Pattern MARKER = Pattern.compile("MARKER disk=/dev/(\\S+) (failed|ELASTIC-TEST-MARKER \\S+)");
    private static final int MIB = 1024 * 1024;
    private static final String ISO = UUID.randomUUID().toString();
    private static final String LIBRARY = UUID.randomUUID().toString();
    private static RunningSystem system;
    private static PlainHttp http;
    private static String alice;
    private static String bob;
    private static String carol;

    @BeforeAll
    static void startSystem() throws IOException {
        Libvirt.start();
        Path iso = Libvirt.testGuest(WORK);
        // a library disk the test guest takes for a data drive: it tries to write its marker at 1 MiB
        Path library = WORK.resolve("library-data.img");
        byte[] bytes = new byte[4 * MIB];
        System.arraycopy(TestGuest.DATA, 0, bytes, 0, TestGuest.DATA.length);
        Files.write(library, bytes);
        system = RunningSystem.start("hostile-attachment");
        system.importStandardDrive(ISO, "test guest", iso, "cdrom");
        system.importStandardDrive(LIBRARY, "library data", library, "disk");
        http = system.http();
        alice = PlainHttp.basic(system.createCustomer());
        bob = PlainHttp.basic(system.createCustomer());
        carol = PlainHttp.basic(system.createCustomer());
    }

    @AfterAll
    static void stopSystem() {
        if (system == null) {
            return;
        }
        try {
            for (String domain : Libvirt.domainsMentioning(system.dataDir().toString()).keySet()) {
                Libvirt.tryRun("virsh", "-c", Libvirt.URI, "destroy", domain);
            }
        } finally {
            system.close();
        }
    }

    @Test
    void aGuestCannotWriteIntoALibraryDrive() {
        String server = server(alice, "library reader", "block:0 " + LIBRARY + "\n");
        assertThat(marker(server)).as("the guest's write into the library disk").isEqualTo("vda failed");
        assertThat(Libvirt.virsh("dumpxml", Libvirt.domainOf(server))).contains("<readonly/>");
        assertThat(http.post("/servers/" + server + "/destroy", alice, "").status()).isEqualTo(204);

        assertThat(readAt(LIBRARY, alice, MIB)).as("the library's bytes at 1 MiB").doesNotContain("ELASTIC-TEST-MARKER");
        // another customer's copy made afterwards is the library as the operator imported it
        String copy = drive(carol, "copy", "4M");
        assertThat(http.post("/drives/" + copy + "/image/" + LIBRARY, carol, "").status()).isBetween(200, 204);
        awaitImaged(copy, carol);
        assertThat(readAt(copy, carol, 0)).startsWith("ELASTIC-TEST-DATA");
        assertThat(readAt(copy, carol, MIB)).doesNotContain("ELASTIC-TEST-MARKER");
    }

    @Test
    void aReaderNeitherWritesTheOwnersDriveNorLocksTheOwnerOut() {
        String shared = drive(alice, "shared", "4M");
        http.writeDrive(shared, alice, TestGuest.DATA);
        Map<String, String> set = object(http.post("/drives/" + shared + "/set", alice, "readers " + uuid(bob) + "\n"));
        assertThat(set.get("readers")).isEqualTo(uuid(bob));

        String readers = server(bob, "reader", "scsi:0:0 " + shared + "\npersistent true\n");
        assertThat(marker(readers)).as("the reader's guest writing into the owner's drive").isEqualTo("sda failed");
        assertThat(readAt(shared, alice, MIB)).doesNotContain("ELASTIC-TEST-MARKER");

        // the owner starts its own server on the drive while the reader's runs, and writes
        String owners = server(alice, "owner", "block:0 " + shared + "\n");
        assertThat(marker(owners)).as("the owner's guest writing its own drive").startsWith("vda ELASTIC-TEST-MARKER");
        assertThat(http.post("/servers/" + owners + "/destroy", alice, "").status()).isEqualTo(204);
        assertThat(readAt(shared, alice, MIB)).startsWith("ELASTIC-TEST-MARKER");

        // images onto it, then destroys it: the reader's server is stopped, not in the way
        String source = drive(alice, "source", "4M");
        PlainHttp.Reply image = http.post("/drives/" + shared + "/image/" + source, alice, "");
        assertThat(image.status()).as(image.describe()).isBetween(200, 204);
        awaitImaged(shared, alice);
        PlainHttp.Reply destroy = http.post("/drives/" + shared + "/destroy", alice, "");
        assertThat(destroy.status()).as(destroy.describe()).isEqualTo(204);
        Wait.until("the reader's server is stopped", Duration.ofSeconds(30),
                () -> "stopped".equals(serverInfo(readers, bob).get("status")), () -> system.logTail(40));
        Wait.until("the reader's guest is gone", Duration.ofSeconds(30),
                () -> !Libvirt.domains().contains(Libvirt.domainOf(readers)));
        PlainHttp.Reply restart = http.post("/servers/" + readers + "/start", bob, "");
        assertThat(restart.status()).as(restart.describe()).isEqualTo(400);
        assertThat(http.post("/servers/" + readers + "/destroy", bob, "").status()).isEqualTo(204);
    }

    @Test
    void noServerStartsOnADriveBeingImaged() {
        String source = drive(alice, "big source", "512M");
        String target = drive(alice, "big target", "512M");
        http.writeDrive(target, alice, TestGuest.DATA);
        PlainHttp.Reply image = http.post("/drives/" + target + "/image/" + source, alice, "");
        assertThat(image.status()).as(image.describe()).isBetween(200, 204);
        PlainHttp.Reply create = http.post("/servers/create", alice, "name on imaging\ncpu 1000\nmem 128\n"
                + "ide:0:0 " + ISO + "\nide:0:0:media cdrom\nboot ide:0:0\nblock:0 " + target + "\n");
        String imaging = driveInfo(target, alice).getOrDefault("imaging", "");
        try {
            assertThat(create.status()).as(create.describe() + " (target imaging: " + imaging + ")").isEqualTo(409);
            assertThat(create.header("X-Elastic-Error")).contains("busy");
        } finally {
            if (create.status() == 200) {
                String server = PlainHttp.parseObject(create.text()).get("server");
                http.post("/servers/" + server + "/destroy", alice, "");
            }
            awaitImaged(target, alice);
        }
    }

    /** Creates and starts a server booting the library ISO with {@code drives}; answers its UUID once its guest is ready. */
    private static String server(String auth, String name, String drives) {
        Map<String, String> created = object(http.post("/servers/create", auth, "name " + name
                + "\ncpu 1000\nmem 128\nide:0:0 " + ISO + "\nide:0:0:media cdrom\nboot ide:0:0\n" + drives));
        assertThat(created).containsEntry("status", "active");
        String server = created.get("server");
        Libvirt.awaitConsole(system, server, TestGuest.READY, 1, BOOT);
        return server;
    }

    /** The disk and outcome of the guest's marker write: {@code vda failed} or {@code vda ELASTIC-TEST-MARKER boot=…}. */
    private static String marker(String server) {
        String console = Libvirt.awaitConsole(system, server, TestGuest.READY, 1, BOOT);
        Matcher m = MARKER.matcher(console);
        assertThat(m.find()).as("a MARKER line on the console of " + server + ":\n" + console).isTrue();
        return m.group(1) + " " + m.group(2);
    }

    private static String drive(String auth, String name, String size) {
        return object(http.post("/drives/create", auth, "name " + name + "\nsize " + size + "\n")).get("drive");
    }

    private static void awaitImaged(String drive, String auth) {
        Wait.until("drive " + drive + " imaged", Duration.ofSeconds(240),
                () -> !driveInfo(drive, auth).containsKey("imaging"), () -> system.logTail(20));
    }

    private static String readAt(String drive, String auth, int offset) {
        PlainHttp.Reply read = http.get("/drives/" + drive + "/read/" + offset + "/64", auth);
        assertThat(read.status()).as(read.describe()).isEqualTo(200);
        return new String(read.body(), StandardCharsets.US_ASCII);
    }

    private static Map<String, String> driveInfo(String drive, String auth) {
        return object(http.get("/drives/" + drive + "/info", auth));
    }

    private static Map<String, String> serverInfo(String server, String auth) {
        return object(http.get("/servers/" + server + "/info", auth));
    }

    private static String uuid(String basicAuth) {
        String decoded = new String(java.util.Base64.getDecoder().decode(basicAuth.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        return decoded.substring(0, decoded.indexOf(':'));
    }

    private static Map<String, String> object(PlainHttp.Reply reply) {
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        return PlainHttp.parseObject(reply.text());
    }
}
