package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real QEMU guest booted through the API: the test ISO ({@code deploy/build-test-guest.sh})
 * uploaded into a drive in 4 MiB chunks, attached as an IDE cdrom beside encrypted drives on
 * virtio-blk and virtio-scsi, on an isolated libvirt network (169.254.x.0/24, no forward). Checks
 * what the guest reports on its serial console, status, smp and counters, the marker the guest
 * writes onto its data drive read back through the drive API, then shutdown (persistent: stopped;
 * transient: gone), reset, stop and destroy, and that no libvirt domain is left. Starts virtlogd
 * and libvirtd when they do not run; fails, never skips, where QEMU or libvirt are missing.
 */
class RealServerTest {
    private static final Duration BOOT = Duration.ofSeconds(150);
    private static final Path WORK = Path.of("target", "real-server").toAbsolutePath();
    private static Libvirt.Network network;
    private static RunningSystem system;
    private static PlainHttp http;
    private static String auth;
    private static String iso;
    private static String data;
    private static String scsi;

    @BeforeAll
    static void startSystem() throws Exception {
        Libvirt.start();
        Path isoFile = Libvirt.testGuest(WORK);
        network = Libvirt.isolatedNetwork(WORK);
        system = RunningSystem.start("servers", network.systemArgs());
        Libvirt.assertReachableByGuests(system);
        http = system.http();
        auth = PlainHttp.basic(system.createCustomer());
        byte[] image = Files.readAllBytes(isoFile);
        iso = object(http.post("/drives/create", auth, "name test guest iso\nsize " + image.length
                + "\nencryption:cipher none\n")).get("drive");
        http.writeDrive(iso, auth, image);
        data = object(http.post("/drives/create", auth, "name data\nsize 64M\n")).get("drive");
        http.writeDrive(data, auth, TestGuest.DATA);
        scsi = object(http.post("/drives/create", auth, "name scsi\nsize 16M\n")).get("drive");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            if (network != null) {
                network.close();
            }
        }
    }

    private static String config(String name, boolean persistent) {
        return "name " + name + "\ncpu 2000\nsmp auto\nmem 256\npersistent " + persistent + "\nide:0:0 " + iso
                + "\nide:0:0:media cdrom\nblock:0 " + data + "\nboot ide:0:0\nnic:0:model e1000\nnic:0:dhcp auto\n";
    }

    @Test
    void aPersistentGuestBootsFromTheApiAndStopsOnShutdown() throws Exception {
        Map<String, String> created = object(http.post("/servers/create", auth, config("real one", true)
                + "scsi:0:0 " + scsi + "\n"));
        String server = created.get("server");
        assertThat(created).containsEntry("status", "active").containsEntry("smp:cores", "1")
                .containsEntry("smp:sockets", "1");
        String console = awaitConsole(server, "ELASTIC-TEST-GUEST-READY", 1);
        assertThat(console).contains("bus=ide ro=1").contains("bus=virtio ro=0 sectors=131072")
                .contains("bus=scsi ro=0 sectors=32768").contains("driver=e1000");
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
        assertThat(TestGuest.readMarker(http, auth, data))
                .as("what the guest wrote onto its encrypted data drive, read through the API")
                .isEqualTo(TestGuest.lastMarker(Files.readString(consoleOf(server).orElseThrow(), StandardCharsets.ISO_8859_1)));

        // start again, then stop (a power cut) and destroy
        assertThat(http.post("/servers/" + server + "/start", auth, "").status()).isEqualTo(204);
        assertThat(domains()).contains("elastic-" + server);
        assertThat(http.post("/servers/" + server + "/stop", auth, "").status()).isEqualTo(204);
        assertThat(info(server)).containsEntry("status", "stopped");
        assertThat(domains()).doesNotContain("elastic-" + server);
        assertThat(http.post("/servers/" + server + "/start", auth, "").status()).isEqualTo(204);
        // the stop's own event, however late, does not end the new run: still active and running
        // after the reconciler's grace (10 s) and the host's next heartbeat (every 5 s)
        RunningSystem.sleep(Duration.ofSeconds(18));
        assertThat(info(server)).as("restarted right after a stop").containsEntry("status", "active");
        assertThat(domains()).contains("elastic-" + server);
        assertThat(http.post("/servers/" + server + "/destroy", auth, "").status()).isEqualTo(204);
        assertThat(http.get("/servers/" + server + "/info", auth).status()).isEqualTo(404);
        assertThat(domains()).doesNotContain("elastic-" + server);
        assertThat(object(http.get("/drives/" + data + "/info", auth))).containsEntry("status", "active");
    }

    @Test
    void theGuestSeesEachNicModelItIsGiven() {
        for (Map.Entry<String, String> model : Map.of("rtl8139", "8139(too|cp)", "virtio", "virtio_net").entrySet()) {
            String server = object(http.post("/servers/create", auth, config("nic " + model.getKey(), false)
                    .replace("nic:0:model e1000", "nic:0:model " + model.getKey()))).get("server");
            try {
                String console = awaitConsole(server, "ELASTIC-TEST-GUEST-READY", 1);
                assertThat(console).as("nic:0:model " + model.getKey())
                        .containsPattern("NIC name=eth0 mac=\\S+ driver=" + model.getValue());
                assertThat(info(server)).containsEntry("nic:0:model", model.getKey());
            } finally {
                assertThat(http.post("/servers/" + server + "/destroy", auth, "").status()).isEqualTo(204);
            }
        }
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
        String vncIp = Libvirt.consoleAddress(info.get("vnc:ip"));
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
        Path file = Libvirt.console(system, server);
        return Files.exists(file) ? java.util.Optional.of(file) : java.util.Optional.empty();
    }

    /** Waits until the console shows {@code marker} {@code times} times; answers the console. */
    private static String awaitConsole(String server, String marker, int times) {
        return Libvirt.awaitConsole(system, server, marker, times, BOOT);
    }

    private static void await(String what, Duration limit, BooleanSupplier condition) {
        Wait.until(what, limit, condition, () -> system.logTail(40));
    }

    /** Every libvirt domain, running or not. */
    private static List<String> domains() {
        return Libvirt.domains();
    }
}
