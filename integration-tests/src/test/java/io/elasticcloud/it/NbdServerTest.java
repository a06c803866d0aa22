package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged system with its storage node on another "machine" than its node agent ({@code
 * --elastic.storage.host=storage-b}): every drive of a server reaches its guest as an NBD export
 * of qemu-storage-daemon on loopback, the guest unaware. The test ISO and an encrypted data drive
 * are written through the API; the guest boots from the ISO over NBD and sees the data drive
 * (LUKS decrypted by its QEMU). The exports survive a restart of the system (adopted: a reset
 * guest boots again through them) and stop when the server stops; nothing is left running.
 * Fails, never skips, where QEMU or libvirt are missing.
 */
class NbdServerTest {
    private static final Duration BOOT = Duration.ofSeconds(150);
    private static final Path WORK = Path.of("target", "nbd-server").toAbsolutePath();
    private static RunningSystem system;
    private static PlainHttp http;
    private static String auth;
    private static String iso;
    private static String data;

    @BeforeAll
    static void startSystem() throws Exception {
        Files.createDirectories(WORK);
        for (String binary : List.of("/usr/sbin/libvirtd", "/usr/bin/qemu-system-x86_64", "/usr/bin/qemu-storage-daemon")) {
            if (!Files.isExecutable(Path.of(binary))) {
                fail(binary + " is missing: deploy/install-deps.sh installs libvirt and QEMU");
            }
        }
        startLibvirt();
        run(Duration.ofMinutes(3), RunningSystemSupport.repositoryRoot().resolve("deploy/build-test-guest.sh").toString(), WORK.toString());
        int firstPort = 24000 + new Random().nextInt(200) * 20;
        system = RunningSystem.start("nbd", "--elastic.storage.host=storage-b",
                "--elastic.storage.nbd.address=127.0.0.1",
                "--elastic.storage.nbd.ports=" + firstPort + "-" + (firstPort + 19),
                "--elastic.servers.export-sweep-interval=5s");
        // no chmod of the harness's rwx------ data directory: over NBD no guest opens a volume file
        http = system.http();
        auth = PlainHttp.basic(system.createCustomer());
        byte[] image = Files.readAllBytes(WORK.resolve("test-guest.iso"));
        iso = object(http.post("/drives/create", auth, "name iso\nsize " + image.length
                + "\nencryption:cipher none\n")).get("drive");
        http.writeDrive(iso, auth, image);
        data = object(http.post("/drives/create", auth, "name data\nsize 64M\n")).get("drive");
        assertThat(object(http.get("/drives/" + data + "/info", auth))).containsEntry("encryption:cipher", "aes-xts-plain");
    }

    @AfterAll
    static void stopSystem() {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            if (system != null) {
                // exports outlive the system on purpose; the test ends them
                StorageExports.kill(system);
            }
        }
    }

    @Test
    void aGuestBootsFromDrivesExportedOverNbdAndTheExportsStopWithIt() throws Exception {
        Map<String, String> created = object(http.post("/servers/create", auth, "name over nbd\ncpu 2000\nmem 256\n"
                + "persistent true\nide:0:0 " + iso + "\nide:0:0:media cdrom\nblock:0 " + data + "\nboot ide:0:0\n"));
        String server = created.get("server");
        assertThat(created).containsEntry("status", "active");
        String console = awaitConsole(server, "ELASTIC-TEST-GUEST-READY", 1);
        assertThat(console).contains("DISK name=sr0 bus=ide ro=1").contains("DISK name=vda bus=virtio ro=0 sectors=131072");
        String domain = run(Duration.ofSeconds(30), "virsh", "-c", "qemu:///system", "dumpxml", "elastic-" + server);
        assertThat(domain).contains("protocol='nbd'").doesNotContain(system.dataDir().resolve("volumes").toString());
        List<Long> daemons = daemons();
        assertThat(daemons).hasSize(2);
        assertThat(exportRecords()).hasSize(2);

        // a restart of the system adopts the exports: the same daemons serve, a reset guest boots again
        system.stop();
        assertThat(daemons()).isEqualTo(daemons);
        system.restart();
        await("the server is active after the restart", Duration.ofSeconds(60),
                () -> "active".equals(info(server).get("status")));
        assertThat(daemons()).isEqualTo(daemons);
        assertThat(http.post("/servers/" + server + "/reset", auth, "").status()).isEqualTo(204);
        awaitConsole(server, "ELASTIC-TEST-GUEST-READY", 2);

        // stopped: its exports stop
        assertThat(http.post("/servers/" + server + "/stop", auth, "").status()).isEqualTo(204);
        await("the exports stop with the server", Duration.ofSeconds(30), () -> daemons().isEmpty());
        assertThat(exportRecords()).isEmpty();
        assertThat(http.post("/servers/" + server + "/destroy", auth, "").status()).isEqualTo(204);
    }

    private static List<Path> exportRecords() {
        return StorageExports.records(system);
    }

    private static List<Long> daemons() {
        return StorageExports.daemons(system);
    }

    private static Map<String, String> info(String server) {
        return PlainHttp.parseObject(http.get("/servers/" + server + "/info", auth).text());
    }

    private static Map<String, String> object(PlainHttp.Reply reply) {
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        return PlainHttp.parseObject(reply.text());
    }

    private static String awaitConsole(String server, String marker, int times) throws IOException {
        Path file = system.dataDir().resolve("consoles").resolve("elastic-" + server + ".log");
        await(marker + " x" + times + " on the console of " + server, BOOT, () -> {
            try {
                return Files.exists(file)
                        && Files.readString(file, StandardCharsets.ISO_8859_1).split(marker, -1).length - 1 >= times;
            } catch (IOException e) {
                return false;
            }
        });
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }

    private static void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + limit + ": " + what + "\n" + system.logTail(40));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void startLibvirt() throws Exception {
        if (answers()) {
            return;
        }
        // no systemd here: start the daemons by hand, as deploy/start-services.sh does
        if (!Files.exists(Path.of("/run/libvirt/virtlogd-sock"))) {
            run(Duration.ofSeconds(20), "/usr/sbin/virtlogd", "-d");
        }
        run(Duration.ofSeconds(20), "/usr/sbin/libvirtd", "-d");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!answers()) {
            if (System.nanoTime() > deadline) {
                fail("libvirtd did not answer at qemu:///system within 30 s");
            }
            Thread.sleep(250);
        }
    }

    private static boolean answers() throws Exception {
        Process p = new ProcessBuilder("virsh", "-c", "qemu:///system", "version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    private static String run(Duration limit, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(WORK, "run-", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", command) + " took longer than " + limit);
            }
            String output = Files.readString(out);
            assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
