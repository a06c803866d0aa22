package io.elasticcloud.storage.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file backend's account of its space, kept in memory instead of read from every volume's
 * files at each create: after any mix of creates, grows, imports and destroys it is exactly what
 * the files say (the footprints of the volumes listed; after a measurement, what their files
 * allocate), and a restart rebuilds the same from the files.
 */
class FileVolumeBackendSpaceTest {
    private static final long KIB = 1024;

    @TempDir
    Path dir;

    @Test
    void thePromisedTotalIsTheSumOfTheVolumesFootprintsThroughCreatesGrowsAndDestroys() throws IOException {
        Path keyFile = dir.resolve("master.key");
        Path pool = dir.resolve("pool");
        FileVolumeBackend backend = new FileVolumeBackend(pool, MasterKey.loadOrCreate(keyFile), 4);
        Random random = new Random(16);
        List<String> live = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int action = live.isEmpty() ? 0 : random.nextInt(4);
            if (action <= 1) {
                String name = "v" + i;
                Cipher cipher = random.nextBoolean() ? Cipher.NONE : Cipher.AES_XTS_PLAIN;
                long size = 1 + random.nextInt(300_000);
                if (random.nextInt(4) == 0) {
                    backend.create(name, size, cipher, new ByteArrayInputStream(new byte[(int) size]));
                } else {
                    backend.create(name, size, cipher, null);
                }
                live.add(name);
            } else if (action == 2) {
                String name = live.get(random.nextInt(live.size()));
                VolumeInfo info = backend.describe(name).orElseThrow();
                backend.grow(name, info.size() + random.nextInt(500_000));
            } else {
                assertThat(backend.destroy(live.remove(random.nextInt(live.size())))).isTrue();
            }
            assertThat(backend.space().promised()).as("after step %d", i).isEqualTo(footprints(backend));
        }
        backend.measure();
        VolumeBackend.Space kept = backend.space();
        assertThat(kept.unwritten()).as("after a measurement, the files' unallocated part")
                .isEqualTo(unwritten(backend, pool));
        backend.close();

        FileVolumeBackend restarted = new FileVolumeBackend(pool, MasterKey.loadOrCreate(keyFile), 4);
        assertThat(restarted.space()).as("rebuilt from the files at start").isEqualTo(kept);
    }

    @Test
    void writesShowInTheUnwrittenPartAtTheNextMeasurement() throws IOException {
        FileVolumeBackend backend = new FileVolumeBackend(dir.resolve("pool"), MasterKey.random(), 4);
        backend.create("raw", 1 << 20, Cipher.NONE, null);
        backend.create("enc", 1 << 20, Cipher.AES_XTS_PLAIN, null);
        backend.measure();
        VolumeBackend.Space before = backend.space();
        byte[] bytes = new byte[256 * (int) KIB];
        new Random(1).nextBytes(bytes);
        try (VolumeHandle raw = backend.open("raw"); VolumeHandle enc = backend.open("enc")) {
            raw.write(0, bytes, 0, bytes.length);
            enc.write(0, bytes, 0, bytes.length);
            raw.force();
            enc.force();
        }
        // between measurements writes are not seen: the unwritten part stays too large, never too small
        assertThat(backend.space()).isEqualTo(before);
        backend.measure();
        assertThat(backend.space().promised()).isEqualTo(before.promised());
        assertThat(backend.space().unwritten()).isEqualTo(before.unwritten() - 2 * bytes.length);
    }

    @Test
    void aNewVolumeCountsWhatItsFileTookAtCreation() throws IOException {
        FileVolumeBackend backend = new FileVolumeBackend(dir.resolve("pool"), MasterKey.random(), 4);
        byte[] content = new byte[64 * (int) KIB];
        new Random(2).nextBytes(content);
        backend.create("imported", content.length, Cipher.NONE, new ByteArrayInputStream(content));
        assertThat(backend.space()).isEqualTo(new VolumeBackend.Space(content.length, 0));
    }

    private static long footprints(FileVolumeBackend backend) throws IOException {
        return backend.list().stream().mapToLong(v -> Footprints.of(v.size(), v.cipher())).sum();
    }

    /** Each volume's footprint less what its files hold, measured here on its own. */
    private static long unwritten(FileVolumeBackend backend, Path pool) throws IOException {
        Map<String, List<Path>> files = new HashMap<>();
        Map<String, Long> footprints = new HashMap<>();
        for (VolumeInfo v : backend.list()) {
            files.put(v.volume(), v.cipher() == Cipher.NONE ? List.of(pool.resolve(v.volume() + ".raw"))
                    : List.of(pool.resolve(v.volume() + ".luks"), pool.resolve(v.volume() + ".luks.key")));
            footprints.put(v.volume(), Footprints.of(v.size(), v.cipher()));
        }
        long total = 0;
        for (var e : files.entrySet()) {
            long taken = 0;
            for (Path p : e.getValue()) {
                taken += Files.exists(p) ? DiskUsage.allocated(List.of(p)).get(p) : 0;
            }
            total += Math.max(0, footprints.get(e.getKey()) - taken);
        }
        return total;
    }
}
