package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.storage.testing.PacketCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drive calls whose effect is on the storage itself, on the real system with two pools on
 * different hardware: placement with {@code avoid}, what lies in the volume files, and imaging
 * (busy while it runs, progress, {@code imaging:error full}).
 */
class StorageOnRealVolumesTest {
    private static final int MIB = 1024 * 1024;
    private static RunningSystem system;

    private PlainHttp http;
    private String auth;

    @BeforeAll
    static void startSystem() {
        system = RunningSystem.start("storage",
                "--elastic.storage.pools[0].name=pool-a", "--elastic.storage.pools[0].hardware=disk-a",
                "--elastic.storage.pools[1].name=pool-b", "--elastic.storage.pools[1].hardware=disk-b");
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @BeforeEach
    void newCustomer() {
        http = system.http();
        auth = PlainHttp.basic(system.createCustomer());
    }

    private Map<String, String> create(String body) {
        PlainHttp.Reply r = http.post("/drives/create", auth, body);
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return PlainHttp.parseObject(r.text());
    }

    private Map<String, String> info(String drive) {
        return PlainHttp.parseObject(http.get("/drives/" + drive + "/info", auth).text());
    }

    /** The volume file of a drive, in whichever pool holds it. */
    private Path volumeFile(String drive) throws IOException {
        try (var files = Files.walk(system.dataDir().resolve("volumes"))) {
            return files.filter(p -> p.getFileName().toString().matches(drive + "\\.(raw|luks)"))
                    .findFirst().orElseThrow(() -> new AssertionError("no volume file for " + drive));
        }
    }

    @Test
    void avoidPutsDrivesOnOtherHardwareAndIsFullWhenNoneIsLeft() throws IOException {
        String first = create("name first\nsize 1M\n").get("drive");
        String second = create("name second\nsize 1M\navoid " + first + "\n").get("drive");
        assertThat(volumeFile(second).getParent()).isNotEqualTo(volumeFile(first).getParent());
        PlainHttp.Reply third = http.post("/drives/create", auth, "name third\nsize 1M\navoid " + first + " " + second + "\n");
        assertThat(third.status()).as(third.describe()).isEqualTo(507);
        assertThat(third.header("X-Elastic-Error")).contains("full");
    }

    @Test
    void anEncryptedVolumeHoldsNoPlaintextAndAPlainOneDoes() throws IOException {
        byte[] marker = ("ELASTIC-PLAINTEXT-MARKER-" + UUID.randomUUID() + "-").repeat(2000).getBytes(StandardCharsets.US_ASCII);
        String encrypted = create("name secret\nsize 1M\n").get("drive");
        String plain = create("name open\nsize 1M\nencryption:cipher none\n").get("drive");
        for (String drive : new String[] {encrypted, plain}) {
            PlainHttp.Reply w = http.post("/drives/" + drive + "/write/4096", auth, marker,
                    "Content-Type", "application/octet-stream");
            assertThat(w.status()).as(w.describe()).isEqualTo(204);
            assertThat(http.get("/drives/" + drive + "/read/4096/" + marker.length, auth).body()).isEqualTo(marker);
        }
        byte[] needle = new String(marker, 0, 61, StandardCharsets.US_ASCII).getBytes(StandardCharsets.US_ASCII);
        assertThat(volumeFile(encrypted).getFileName().toString()).endsWith(".luks");
        assertThat(PacketCapture.contains(Files.readAllBytes(volumeFile(encrypted)), needle)).as("plaintext in the LUKS volume").isFalse();
        assertThat(PacketCapture.contains(Files.readAllBytes(volumeFile(plain)), needle)).as("plaintext in the raw volume").isTrue();
    }

    @Test
    void imagingIsBusyWhileItRunsShowsProgressAndEnds() {
        // Compressing random data is slow enough (seconds) to be seen running.
        String source = create("name source\nsize 96M\nencryption:cipher none\n").get("drive");
        for (int i = 0; i < 24; i++) {
            PlainHttp.Reply w = http.post("/drives/" + source + "/write/" + (i * 4) + "M", auth,
                    TestBytes.random(i, 4 * MIB), "Content-Type", "application/octet-stream");
            assertThat(w.status()).as(w.describe()).isEqualTo(204);
        }
        String target = create("name target\nsize 100M\n").get("drive");
        assertThat(http.post("/drives/" + target + "/image/" + source + "/gzip", auth, "").status()).isEqualTo(204);
        assertThat(info(target).get("imaging")).matches("queued|[0-9]{1,2}%");
        PlainHttp.Reply destroy = http.post("/drives/" + target + "/destroy", auth, "");
        assertThat(destroy.status()).as(destroy.describe()).isEqualTo(409);
        assertThat(destroy.header("X-Elastic-Error")).contains("busy");
        PlainHttp.Reply destroySource = http.post("/drives/" + source + "/destroy", auth, "");
        assertThat(destroySource.status()).as(destroySource.describe()).isEqualTo(409);
        awaitImaging(target, 120);
        assertThat(info(target)).doesNotContainKey("imaging:error");
        // The gzip stream in the target decompresses to the source's first bytes.
        byte[] head = http.get("/drives/" + target + "/read/0/4M", auth).body();
        byte[] unzipped = TestBytes.gunzipPrefix(head, MIB);
        assertThat(unzipped).isEqualTo(java.util.Arrays.copyOf(TestBytes.random(0, 4 * MIB), MIB));
        assertThat(http.post("/drives/" + target + "/destroy", auth, "").status()).isEqualTo(204);
    }

    @Test
    void imagingThatDoesNotFitStopsWithFullAndKeepsWhatFit(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        byte[] raw = TestBytes.random(7, 2 * MIB);
        Path gz = dir.resolve("image.gz");
        Files.write(gz, TestBytes.gzip(raw));
        String standard = UUID.randomUUID().toString();
        system.importStandardDrive(standard, "Two MiB", gz, "disk");
        String small = create("name small\nsize 64k\n").get("drive");
        assertThat(http.post("/drives/" + small + "/image/" + standard + "/gunzip", auth, "").status()).isEqualTo(204);
        awaitImaging(small, 60);
        assertThat(info(small)).containsEntry("imaging:error", "full");
        assertThat(http.get("/drives/" + small + "/read/0/64k", auth).body()).isEqualTo(java.util.Arrays.copyOf(raw, 65536));
    }

    private void awaitImaging(String drive, int seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (info(drive).containsKey("imaging")) {
            assertThat(System.nanoTime()).as("imaging of %s ends within %d s", drive, seconds).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
