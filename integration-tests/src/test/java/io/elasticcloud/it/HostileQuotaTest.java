package io.elasticcloud.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Customers who try to take everything: all the pool's addresses, all VLANs, all the disk, the
 * disk's real blocks with many tiny encrypted drives, and a write into a full disk. The system's
 * volumes live on a small tmpfs mounted (and removed) by this class, so "full" is reached in
 * seconds; its other settings are the defaults, but for a small disk quota and headroom that fit
 * that small disk (32 MiB, 16 MiB headroom), and a short VNI range (20) so that a create/destroy loop would run out of it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileQuotaTest {
    private static final int MIB = 1024 * 1024;
    private static final String JSON = "application/json";
    /** The defaults of elastic.quota.ips and elastic.quota.vlans. */
    private static final int DEFAULT_IPS = 16;
    private static final int DEFAULT_VLANS = 16;

    private static Path disk;
    private static RunningSystem system;
    private static PlainHttp http;

    @BeforeAll
    static void start() throws Exception {
        disk = Files.createTempDirectory(Path.of(System.getProperty("it.logDirectory", "target")).toAbsolutePath(),
                "quota-disk-");
        run("mount", "-t", "tmpfs", "-o", "size=32m,mode=0755", "tmpfs", disk.toString());
        system = RunningSystem.start("hostile-quota",
                "--elastic.storage.pools[0].name=pool-0",
                "--elastic.storage.pools[0].hardware=hw-0",
                "--elastic.storage.pools[0].directory=" + disk.resolve("pool-0"),
                "--elastic.storage.headroom=16MB",
                "--elastic.quota.disk=16MB",
                "--elastic.network.vni-max=20",
                "--elastic.network.vni-quarantine=0s");
        http = system.http();
        // the tests measure against the tmpfs: start once the storage node has reported its room there
        Wait.until("the storage node's room on the tmpfs in /actuator/storagenodes", java.time.Duration.ofSeconds(30),
                () -> http.get("/actuator/storagenodes", system.adminAuthorization()).text()
                        .matches("(?s).*\"roomOnDiskBytes\":\\s*[1-9][0-9]{6,}.*"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            if (disk != null) {
                run("umount", disk.toString());
                Files.deleteIfExists(disk);
            }
        }
    }

    @Test
    @Order(1)
    void oneCustomerCannotTakeEveryPoolAddressEvenInParallel() throws Exception {
        String greedy = PlainHttp.basic(system.createCustomer());
        List<PlainHttp.Reply> replies = inParallel(60, () -> http.post("/resources/ip/create", greedy, ""));
        assertThat(replies.stream().filter(r -> r.status() == 200)).as(describe(replies)).hasSize(DEFAULT_IPS);
        replies.stream().filter(r -> r.status() != 200).forEach(r -> assertError(r, 402, "billing"));
        assertThat(http.get("/resources/ip/list", greedy).text().strip().split("\n")).hasSize(DEFAULT_IPS);

        String other = PlainHttp.basic(system.createCustomer());
        assertThat(http.post("/resources/ip/create", other, "").status()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void oneCustomerCannotTakeEveryVlanAndALoopDoesNotUseUpVnis() throws Exception {
        String greedy = PlainHttp.basic(system.createCustomer());
        List<PlainHttp.Reply> replies = inParallel(30, () -> http.post("/resources/vlan/create", greedy, ""));
        assertThat(replies.stream().filter(r -> r.status() == 200)).as(describe(replies)).hasSize(DEFAULT_VLANS);
        replies.stream().filter(r -> r.status() != 200).forEach(r -> assertError(r, 402, "billing"));
        String other = PlainHttp.basic(system.createCustomer());
        assertThat(http.post("/resources/vlan/create", other, "").status()).isEqualTo(200);
        for (PlainHttp.Reply r : replies) {
            if (r.status() == 200) {
                String vlan = PlainHttp.parseObject(r.text()).get("resource");
                assertThat(http.post("/resources/vlan/" + vlan + "/destroy", greedy, "").status()).isEqualTo(204);
            }
        }
        // this system has 20 VNIs: 60 creates and destroys would use them up three times over
        String looping = PlainHttp.basic(system.createCustomer());
        for (int i = 0; i < 60; i++) {
            PlainHttp.Reply r = http.post("/resources/vlan/create", looping, "name loop" + i + "\n");
            assertThat(r.status()).as("create #" + i + ": " + r.describe()).isEqualTo(200);
            String vlan = PlainHttp.parseObject(r.text()).get("resource");
            assertThat(http.post("/resources/vlan/" + vlan + "/destroy", looping, "").status()).isEqualTo(204);
        }
    }

    @Test
    @Order(3)
    void oneCustomerCannotTakeTheWholeDisk() {
        String greedy = PlainHttp.basic(system.createCustomer());
        assertError(http.post("/drives/create", greedy, "name all\nsize 40M\n"), 402, "billing");
        String drive = createDrive(greedy, "name some\nsize 10M\n");
        assertError(http.post("/drives/create", greedy, "name more\nsize 8M\n"), 402, "billing");

        String other = PlainHttp.basic(system.createCustomer());
        String theirs = createDrive(other, "name theirs\nsize 4M\n");
        assertThat(http.post("/drives/" + theirs + "/destroy", other, "").status()).isEqualTo(204);
        assertThat(http.post("/drives/" + drive + "/destroy", greedy, "").status()).isEqualTo(204);
    }

    @Test
    @Order(4)
    void anAdminRaisesOneCustomersLimitAndActuatorShowsUseAndLimit() {
        Customer raised = system.createCustomer();
        String auth = PlainHttp.basic(raised);
        String admin = system.adminAuthorization();
        JsonObject before = json(http.get("/actuator/quotas/" + raised.uuid(), admin));
        assertThat(before.getAsJsonObject("limits").get("vlans").getAsLong()).isEqualTo(DEFAULT_VLANS);
        assertThat(before.getAsJsonObject("used").get("vlans").getAsLong()).isZero();

        PlainHttp.Reply set = http.post("/actuator/quotas/" + raised.uuid(), admin, "{\"drives\": 100000}",
                "Content-Type", JSON);
        assertThat(set.status()).as(set.describe()).isIn(200, 204);
        assertThat(http.post("/actuator/quotas/" + raised.uuid(), auth, "{\"drives\": 1}", "Content-Type", JSON)
                .status()).as("customers cannot raise their own limits").isEqualTo(401);
        createDrive(auth, "name one\nsize 1\nencryption:cipher aes-xts-plain\n");
        JsonObject after = json(http.get("/actuator/quotas/" + raised.uuid(), admin));
        assertThat(after.getAsJsonObject("limits").get("drives").getAsLong()).isEqualTo(100000);
        assertThat(after.getAsJsonObject("used").get("drives").getAsLong()).isEqualTo(1);
        assertThat(after.getAsJsonObject("used").get("disk").getAsLong()).isEqualTo(1);
        assertThat(json(http.get("/actuator/quotas/" + system.createCustomer().uuid(), admin))
                .getAsJsonObject("limits").get("drives").getAsLong()).as("the others keep the default").isLessThan(100000);
    }

    @Test
    @Order(5)
    void manyTinyEncryptedDrivesAreRefusedWith507BeforeTheDiskFills() throws Exception {
        Customer tiny = system.createCustomer();
        String auth = PlainHttp.basic(tiny);
        http.post("/actuator/quotas/" + tiny.uuid(), system.adminAuthorization(), "{\"drives\": 100000}",
                "Content-Type", JSON);
        // 32 MiB less 16 MiB of headroom take about 60 of them (264 KiB each on disk); each counted
        // as its 512 bytes, 120 would fill the disk
        List<PlainHttp.Reply> replies = inParallel(120, () -> http.post("/drives/create", auth,
                "name t\nsize 1\nencryption:cipher aes-xts-plain\n"));
        List<String> drives = replies.stream().filter(r -> r.status() == 200)
                .map(r -> PlainHttp.parseObject(r.text()).get("drive")).toList();
        assertThat(drives.size()).as(describe(replies)).isBetween(20, 119);
        replies.stream().filter(r -> r.status() != 200).forEach(r -> assertError(r, 507, "full"));
        assertThat(Files.getFileStore(disk).getUsableSpace()).as("headroom left on the disk")
                .isGreaterThanOrEqualTo(4L * MIB);
        for (String drive : drives) {
            assertThat(http.post("/drives/" + drive + "/destroy", auth, "").status()).isEqualTo(204);
        }
    }

    @Test
    @Order(6)
    void aWriteThatHitsAFullDiskIs507FullAndLaterWritesWork() throws IOException {
        String auth = PlainHttp.basic(system.createCustomer());
        String raw = createDrive(auth, "name raw\nsize 4M\nencryption:cipher none\n");
        String encrypted = createDrive(auth, "name enc\nsize 4M\nencryption:cipher aes-xts-plain\n");
        byte[] data = new byte[4 * MIB];
        ThreadLocalRandom.current().nextBytes(data);
        Path filler = disk.resolve("filler");
        try {
            fill(filler); // another user of the same filesystem took every block
            for (String drive : List.of(raw, encrypted)) {
                assertError(http.post("/drives/" + drive + "/write/0", auth, data,
                        "Content-Type", "application/octet-stream"), 507, "full");
            }
            assertError(http.post("/drives/create", auth, "name late\nsize 1M\n"), 507, "full");
        } finally {
            Files.deleteIfExists(filler);
        }
        http.writeDrive(encrypted, auth, data);
        PlainHttp.Reply back = http.get("/drives/" + encrypted + "/read/0/4M", auth);
        assertThat(back.body()).isEqualTo(data);
        assertThat(http.get("/drives/list", auth).text().strip().split("\n")).as("nothing half-made").hasSize(2);
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(filler)) {
            for (int i = 0; i < 64; i++) { // the disk is 32 MiB
                out.write(block);
                out.flush();
            }
            throw new AssertionError("the 32 MiB disk took 64 MiB");
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
    }

    private static String createDrive(String auth, String body) {
        PlainHttp.Reply r = http.post("/drives/create", auth, body);
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return PlainHttp.parseObject(r.text()).get("drive");
    }

    private static List<PlainHttp.Reply> inParallel(int calls, java.util.concurrent.Callable<PlainHttp.Reply> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<PlainHttp.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                futures.add(pool.submit(call));
            }
            List<PlainHttp.Reply> replies = new ArrayList<>();
            for (Future<PlainHttp.Reply> f : futures) {
                replies.add(f.get(60, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String describe(List<PlainHttp.Reply> replies) {
        Map<Integer, Long> byStatus = new java.util.TreeMap<>();
        replies.forEach(r -> byStatus.merge(r.status(), 1L, Long::sum));
        return "statuses " + byStatus + ", e.g. " + replies.stream().filter(r -> r.status() != 200)
                .findFirst().map(PlainHttp.Reply::describe).orElse("none refused");
    }

    private static JsonObject json(PlainHttp.Reply r) {
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return JsonParser.parseString(new String(r.body(), UTF_8)).getAsJsonObject();
    }

    private static void assertError(PlainHttp.Reply r, int status, String type) {
        assertThat(r.status()).as(r.describe()).isEqualTo(status);
        assertThat(r.header("X-Elastic-Error")).as(r.describe()).contains(type);
        assertThat(r.text()).isNotBlank().doesNotContain("Exception", "io.elasticcloud");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new UncheckedIOException(new IOException(String.join(" ", command) + " failed: " + out));
        }
    }
}
