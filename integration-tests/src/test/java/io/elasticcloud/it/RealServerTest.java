package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real QEMU guest booted through the API: the test ISO ({@code deploy/build-test-guest.sh})
 * uploaded into a drive in 4 MiB chunks, attached as an IDE cdrom beside an encrypted data drive on
 * virtio-blk, on an isolated libvirt network (169.254.x.0/24, no forward). Checks what the guest
 * reports on its serial console, status, smp and counters, then shutdown (persistent: stopped;
 * transient: gone), reset, stop and destroy, and that no libvirt domain is left. Starts virtlogd
 * and libvirtd when they do not run; fails, never skips, where QEMU or libvirt are missing.
 */
class RealServerTest {
    private static final int MIB = 1024 * 1024;
    private static final Duration BOOT = Duration.ofSeconds(150);
    private static final Path WORK = Path.of("target", "real-server").toAbsolutePath();
    private static String network;
    private static RunningSystem system;
    private static PlainHttp http;
    private static String auth;
    private static String iso;
    private static String data;

    @BeforeAll
    static void startSystem() throws Exception {
        Files.createDirectories(WORK);
        startLibvirt();
        run(Duration.ofMinutes(3), repository().resolve("deploy/build-test-guest.sh").toString(), WORK.toString());
        int subnet = 100 + (int) (Math.random() * 100);
        network = "elit-" + UUID.randomUUID().toString().substring(0, 8);
        Path xml = WORK.resolve(network + ".xml");
        Files.writeString(xml, "<network><name>" + network + "</name><bridge name='" + network.replace("-", "").substring(0, 12)
                + "'/><ip address='169.254." + subnet + ".1' netmask='255.255.255.0'><dhcp><range start='169.254."
                + subnet + ".100' end='169.254." + subnet + ".199'/></dhcp></ip></network>");
        run(Duration.ofSeconds(30), "virsh", "-c", "qemu:///system", "net-create", xml.toString());
        // the public pool is this network's subnet (below its dynamic range), its consoles mapped
        // onto 127.10.0.N as in the single-host default (docs/configuration.md)
        system = RunningSystem.start("servers", "--elastic.agent.network=" + network,
                "--elastic.network.pools[0].name=public", "--elastic.network.pools[0].cidr=169.254." + subnet + ".0/24",
                "--elastic.network.pools[0].first=169.254." + subnet + ".2",
                "--elastic.network.pools[0].last=169.254." + subnet + ".99",
                "--elastic.network.pools[0].vnc-listen-base=127.10.0.0");
        // the harness makes its data directory rwx------; a guest's qemu runs as libvirt's own user
        // and must reach the volume files below it (an operator's ./data is rwxr-xr-x)
        Files.setPosixFilePermissions(system.dataDir(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        Path volumes = system.dataDir().resolve("volumes");
        if (Files.isDirectory(volumes)) {
            Files.setPosixFilePermissions(volumes, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        }
        http = system.http();
        auth = PlainHttp.basic(system.createCustomer());
        byte[] image = Files.readAllBytes(WORK.resolve("test-guest.iso"));
        iso = object(http.post("/drives/create", auth, "name test guest iso\nsize " + image.length
                + "\nencryption:cipher none\n")).get("drive");
        for (int at = 0; at < image.length; at += 4 * MIB) {
            byte[] chunk = Arrays.copyOfRange(image, at, Math.min(image.length, at + 4 * MIB));
            PlainHttp.Reply written = http.post("/drives/" + iso + "/write/" + at, auth, chunk,
                    "Content-Type", "application/octet-stream");
            assertThat(written.status()).as(written.describe()).isEqualTo(204);
        }
        data = object(http.post("/drives/create", auth, "name data\nsize 64M\n")).get("drive");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            if (network != null) {
                run(Duration.ofSeconds(30), "virsh", "-c", "qemu:///system", "net-destroy", network);
            }
        }
    }

    private static String config(String name, boolean persistent) {
        return "name " + name + "\ncpu 2000\nsmp auto\nmem 256\npersistent " + persistent + "\nide:0:0 " + iso
                + "\nide:0:0:media cdrom\nblock:0 " + data + "\nboot ide:0:0\nnic:0:model e1000\nnic:0:dhcp auto\n";
    }

    @Test
    void aPersistentGuestBootsFromTheApiAndStopsOnShutdown() throws Exception {
        Map<String, String> created = object(http.post("/servers/create", auth, config("real one", true)));
        String server = created.get("server");
        assertThat(created).containsEntry("status", "active").containsEntry("smp:cores", "1")
                .containsEntry("smp:sockets", "1");
        String console = awaitConsole(server, "ELASTIC-TEST-GUEST-READY", 1);
        assertThat(console).contains("bus=ide ro=1").contains("bus=virtio ro=0 sectors=131072").contains("driver=e1000");
        assertThat(object(http.get("/drives/" + data + "/info", auth)))
                .containsEntry("claimed", created.get("user") + ":guest:" + server + ":block:0");
        assertThat(http.post("/drives/" + data + "/destroy", auth, "").status()).isEqualTo(409);

        Map<String, String> info = info(server);
        assertThat(info).containsEntry("status", "active").containsEntry("smp:cores", "1").containsKey("started");
        assertThat(Long.parseLong(info.get("ide:0:0:read:bytes"))).isPositive();
        assertThat(Long.parseLong(info.get("ide:0:0:read:requests"))).isPositive();
        assertThat(info).containsKeys("block:0:write:bytes", "nic:0:rx:bytes", "nic:0:tx:packets");

        // reset: the guest boots again on the same console
        assertThat(http.post("/servers/" + server + "/reset", auth, "").status()).isEqualTo(204);
        awaitConsole(server, "ELASTIC-TEST-GUEST-READY", 2);

        assertThat(http.post("/servers/" + server + "/shutdown", auth, "").status()).isEqualTo(204);
        await("the persistent server stops after the guest powers off", Duration.ofSeconds(60),
                () -> "stopped".equals(info(server).get("status")));
        assertThat(domains()).doesNotContain("elastic-" + server);
        assertThat(object(http.get("/drives/" + data + "/info", auth))).doesNotContainKey("claimed");

        // start again, then stop (a power cut) and destroy
        assertThat(http.post("/servers/" + server + "/start", auth, "").status()).isEqualTo(204);
        assertThat(domains()).contains("elastic-" + server);
        assertThat(http.post("/servers/" + server + "/stop", auth, "").status()).isEqualTo(204);
        assertThat(info(server)).containsEntry("status", "stopped");
        assertThat(domains()).doesNotContain("elastic-" + server);
        assertThat(http.post("/servers/" + server + "/start", auth, "").status()).isEqualTo(204);
        assertThat(http.post("/servers/" + server + "/destroy", auth, "").status()).isEqualTo(204);
        assertThat(http.get("/servers/" + server + "/info", auth).status()).isEqualTo(404);
        assertThat(domains()).doesNotContain("elastic-" + server);
        assertThat(object(http.get("/drives/" + data + "/info", auth))).containsEntry("status", "active");
    }

    @Test
    void aTransientGuestDisappearsWhenItShutsDown() throws Exception {
        String server = object(http.post("/servers/create", auth,
                config("real two", false) + "vnc:password s3cr3t\n")).get("server");
        awaitConsole(server, "ELASTIC-TEST-GUEST-READY", 1);

        // The console is reachable where info says (the pool address 169.254.S.N, served on this
        // host at 127.10.0.N), and takes the password and nothing else.
        Map<String, String> info = info(server);
        assertThat(info.get("vnc:ip")).matches("169\\.254\\.[0-9]+\\.[0-9]+").isEqualTo(info.get("nic:0:dhcp:ip"));
        String vncIp = "127.10.0." + info.get("vnc:ip").substring(info.get("vnc:ip").lastIndexOf('.') + 1);
        int vncPort = Integer.parseInt(info.get("vnc:port"));
        RfbClient.Outcome wrong = RfbClient.authenticate(vncIp, vncPort, "wrong");
        assertThat(wrong.offers(RfbClient.VNC_AUTH)).as("VNC authentication offered").isTrue();
        assertThat(wrong.accepted()).as("a wrong password is refused").isFalse();
        assertThat(RfbClient.authenticate(vncIp, vncPort, "s3cr3t").accepted()).as("the password is accepted").isTrue();

        assertThat(http.post("/servers/" + server + "/shutdown", auth, "").status()).isEqualTo(204);
        await("the transient server is destroyed after the guest powers off", Duration.ofSeconds(60),
                () -> http.get("/servers/" + server + "/info", auth).status() == 404);
        assertThat(Files.readString(consoleOf(server).orElseThrow())).contains("ELASTIC-TEST-GUEST-POWEROFF");
        assertThat(domains()).doesNotContain("elastic-" + server);
    }

    private static Map<String, String> info(String server) {
        return object(http.get("/servers/" + server + "/info", auth));
    }

    private static Map<String, String> object(PlainHttp.Reply reply) {
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        return PlainHttp.parseObject(reply.text());
    }

    private static java.util.Optional<Path> consoleOf(String server) {
        Path file = system.dataDir().resolve("consoles").resolve("elastic-" + server + ".log");
        return Files.exists(file) ? java.util.Optional.of(file) : java.util.Optional.empty();
    }

    /** Waits until the console shows {@code marker} {@code times} times; answers the console. */
    private static String awaitConsole(String server, String marker, int times) throws IOException {
        await(marker + " x" + times + " on the console of " + server, BOOT, () -> consoleOf(server).map(f -> {
            try {
                return Files.readString(f, StandardCharsets.ISO_8859_1).split(marker, -1).length - 1 >= times;
            } catch (IOException e) {
                return false;
            }
        }).orElse(false));
        return Files.readString(consoleOf(server).orElseThrow(), StandardCharsets.ISO_8859_1);
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

    /** Every libvirt domain, running or not. */
    private static List<String> domains() throws Exception {
        return run(Duration.ofSeconds(30), "virsh", "-c", "qemu:///system", "list", "--all", "--name").lines()
                .map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static void startLibvirt() throws Exception {
        for (String binary : List.of("/usr/sbin/libvirtd", "/usr/sbin/virtlogd", "/usr/bin/qemu-system-x86_64")) {
            if (!Files.isExecutable(Path.of(binary))) {
                fail(binary + " is missing: deploy/install-deps.sh installs libvirt and QEMU");
            }
        }
        if (tryRun("virsh", "-c", "qemu:///system", "version")) {
            return;
        }
        // no systemd here: start the daemons by hand, as deploy/start-services.sh does
        if (!Files.exists(Path.of("/run/libvirt/virtlogd-sock"))) {
            run(Duration.ofSeconds(20), "/usr/sbin/virtlogd", "-d");
        }
        run(Duration.ofSeconds(20), "/usr/sbin/libvirtd", "-d");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!tryRun("virsh", "-c", "qemu:///system", "version")) {
            if (System.nanoTime() > deadline) {
                fail("libvirtd did not answer at qemu:///system within 30 s");
            }
            Thread.sleep(250);
        }
    }

    private static boolean tryRun(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
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

    private static Path repository() {
        return Path.of(System.getProperty("it.repositoryRoot", "..")).toAbsolutePath().normalize();
    }
}
