package io.elasticcloud.storage.lvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.Conversion;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.protocol.storage.VolumeRef;
import io.elasticcloud.storage.host.GuestAgentCommands;
import io.elasticcloud.storage.host.HostCommands;
import io.elasticcloud.storage.imaging.ImagingService;
import io.elasticcloud.storage.node.LocalVolumeDataPath;
import io.elasticcloud.storage.testing.RecordingTransport;
import io.elasticcloud.storage.volume.VolumeBackend;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The imaging benchmark of bench/lvm-imaging.sh (issue 14), run only when that script sets
 * {@code ELASTIC_LVM_IMAGING_BENCH=1}: in a storage box of its own ({@code
 * ELASTIC_LVM_IMAGING_BENCH_IP}), one cipher-none library volume ({@code
 * ELASTIC_LVM_IMAGING_BENCH_GIB}, default 10 GiB) with 256 MiB of data spread over it, imaged
 * through the imaging service by thin snapshot and, in the same run on the same backend, by the
 * byte copy (the same backend with its cheap copy switched off, which is the fallback path). Each
 * figure is from the job's submission to its {@code ImagingFinished}; the results, with the
 * storage-host commands the snapshot took, go to stdout and to {@code
 * ELASTIC_LVM_IMAGING_BENCH_OUT}.
 */
@Tag("guest")
@Tag("root")
@EnabledIfEnvironmentVariable(named = "ELASTIC_LVM_IMAGING_BENCH", matches = "1")
class LvmImagingBench {
    private static final String NODE = "bench";
    private static final int MIB = 1 << 20;
    private static final int DATA_CHUNKS = 64;
    private static final int CHUNK = 4 * MIB;

    @Test
    void thinSnapshotAgainstByteCopy() throws Exception {
        long gib = Long.parseLong(env("ELASTIC_LVM_IMAGING_BENCH_GIB", "10"));
        long size = gib << 30;
        Path dir = Files.createTempDirectory("lvm-imaging-bench-");
        StorageBox box = StorageBox.start("imgbench", dir, env("ELASTIC_LVM_IMAGING_BENCH_IP", "169.254.77.52"),
                env("ELASTIC_LVM_IMAGING_BENCH_DISK", "12G"));
        List<String> lines = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(1);
        try (GuestAgentCommands agent = new GuestAgentCommands(box.agent())) {
            List<String> timed = java.util.Collections.synchronizedList(new ArrayList<>());
            HostCommands counting = (argv, stdin, timeout) -> {
                long start = System.nanoTime();
                try {
                    return agent.run(argv, stdin, timeout);
                } finally {
                    timed.add(String.format("%s %s %.2f s", argv.get(0), argv.size() > 1 ? argv.get(1) : "",
                            seconds(start)));
                }
            };
            Duration timeout = Duration.ofSeconds(120);
            LvmVolumeBackend backend = new LvmVolumeBackend(counting, timeout, box.vg(), "thinpool",
                    new BoxDevices(counting, box.address(), 10809, 10872, timeout), MasterKey.random());
            try {
                LocalVolumeDataPath dataPath = new LocalVolumeDataPath();
                dataPath.register(NODE, backend);
                RecordingTransport bus = new RecordingTransport();
                ImagingService snapshots = new ImagingService(NODE, backend, dataPath, threads, bus::publish,
                        Duration.ofSeconds(5));
                ImagingService copies = new ImagingService(NODE, new ByteCopyOnly(backend), dataPath, threads,
                        bus::publish, Duration.ofSeconds(5));

                backend.create("library", size, Cipher.NONE, null);
                long[] offsets = new long[DATA_CHUNKS];
                long writeStart = System.nanoTime();
                byte[] chunk = new byte[CHUNK];
                Random random = new Random(14);
                try (VolumeHandle handle = backend.open("library")) {
                    for (int i = 0; i < DATA_CHUNKS; i++) {
                        offsets[i] = (size - CHUNK) / (DATA_CHUNKS - 1) * i / CHUNK * CHUNK;
                        random.nextBytes(chunk);
                        handle.write(offsets[i], chunk, 0, CHUNK);
                    }
                    handle.force();
                }
                double writeSeconds = seconds(writeStart);
                backend.create("by-snapshot", size, Cipher.NONE, null);
                backend.create("by-copy", size, Cipher.NONE, null);

                int before = timed.size();
                double snapshot = image(snapshots, bus, "j-snapshot", "by-snapshot", size);
                List<String> snapshotCommands = List.copyOf(timed.subList(before, timed.size()));
                double copy = image(copies, bus, "j-copy", "by-copy", size);

                for (int i = 0; i < DATA_CHUNKS; i += 9) {
                    byte[] want = read(backend, "library", offsets[i]);
                    assertThat(read(backend, "by-snapshot", offsets[i])).isEqualTo(want);
                    assertThat(read(backend, "by-copy", offsets[i])).isEqualTo(want);
                }
                long trueStart = System.nanoTime();
                for (int i = 0; i < 5; i++) {
                    agent.run(List.of("true"), new byte[0], timeout);
                }
                double roundTrip = seconds(trueStart) / 5;
                VolumeBackend.Space space = backend.space();
                lines.add(String.format("volume: %d GiB, cipher none, %d MiB of data written in %.1f s", gib,
                        DATA_CHUNKS * CHUNK / MIB, writeSeconds));
                lines.add(String.format("thin snapshot: %.2f s (%d storage-host commands through the guest agent: %s)",
                        snapshot, snapshotCommands.size(), String.join(", ", snapshotCommands)));
                lines.add(String.format("the guest agent's round trip (true, mean of 5): %.2f s", roundTrip));
                lines.add(String.format("byte copy:     %.2f s (%.0f MiB/s)", copy, size / (double) MIB / copy));
                lines.add(String.format("ratio copy/snapshot: %.0fx", copy / snapshot));
                lines.add("pool after: promised " + space.promised() / MIB + " MiB, counted unwritten "
                        + space.unwritten() / MIB + " MiB; volumes: " + describe(backend.list()));
            } finally {
                backend.close();
            }
        } finally {
            threads.shutdownNow();
            box.stop();
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        String text = String.join("\n", lines) + "\n";
        System.out.print(text);
        String out = System.getenv("ELASTIC_LVM_IMAGING_BENCH_OUT");
        if (out != null) {
            Files.writeString(Path.of(out), text, StandardCharsets.UTF_8);
        }
    }

    private static double image(ImagingService imaging, RecordingTransport bus, String job, String target, long size)
            throws InterruptedException {
        long start = System.nanoTime();
        imaging.submit(new ImageVolume("c-" + job, job, target, new VolumeRef(NODE, "library"), size, Conversion.NONE));
        ImagingFinished done = bus.await(ImagingFinished.class, f -> f.job().equals(job), Duration.ofMinutes(30));
        double seconds = seconds(start);
        assertThat(done.error()).as(String.valueOf(done.message())).isNull();
        return seconds;
    }

    private static byte[] read(VolumeBackend backend, String volume, long offset) throws IOException {
        byte[] back = new byte[CHUNK];
        try (VolumeHandle handle = backend.open(volume)) {
            for (int done = 0; done < CHUNK; ) {
                int n = handle.read(offset + done, back, done, CHUNK - done);
                if (n <= 0) {
                    throw new IOException(volume + " ended at " + (offset + done));
                }
                done += n;
            }
        }
        return back;
    }

    private static String describe(List<VolumeInfo> volumes) {
        return String.join(", ", volumes.stream()
                .map(v -> v.volume() + " " + v.allocatedBytes() / MIB + " MiB allocated").toList());
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }

    /** The same backend without its cheap copy: imaging through it takes the byte copy. */
    private record ByteCopyOnly(VolumeBackend inner) implements VolumeBackend {
        @Override
        public VolumeInfo create(String volume, long size, Cipher cipher, InputStream content) throws IOException {
            return inner.create(volume, size, cipher, content);
        }

        @Override
        public Optional<VolumeInfo> describe(String volume) throws IOException {
            return inner.describe(volume);
        }

        @Override
        public List<VolumeInfo> list() throws IOException {
            return inner.list();
        }

        @Override
        public long totalSize() throws IOException {
            return inner.totalSize();
        }

        @Override
        public VolumeInfo grow(String volume, long size) throws IOException {
            return inner.grow(volume, size);
        }

        @Override
        public boolean destroy(String volume) throws IOException {
            return inner.destroy(volume);
        }

        @Override
        public VolumeHandle open(String volume) throws IOException {
            return inner.open(volume);
        }

        @Override
        public void close() {
            // the benchmark closes the backend itself
        }
    }
}
