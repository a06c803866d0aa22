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
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Imaging by thin snapshot against real LVM in a storage box of its own (169.254.77.51), through
 * the imaging service as a storage node runs it: the target reads exactly as the source then
 * zeros, the two diverge independently, destroying the source keeps the target, and an encrypted
 * source or target gets the byte copy instead.
 */
@Tag("guest")
@Tag("root")
class LvmThinCloneBoxTest {
    private static final String NODE = "box";
    private static final int MIB = 1 << 20;

    private static Path dir;
    private static StorageBox box;
    private static GuestAgentCommands agent;
    private static LvmVolumeBackend backend;
    private static ExecutorService threads;
    private static ImagingService imaging;
    private static final List<List<String>> commands = Collections.synchronizedList(new ArrayList<>());
    private static final RecordingTransport bus = new RecordingTransport();

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("snapshot-box-");
        box = StorageBox.start("snaptest", dir, "169.254.77.51", "4G");
        agent = new GuestAgentCommands(box.agent());
        HostCommands recording = (argv, stdin, timeout) -> {
            commands.add(List.copyOf(argv));
            return agent.run(argv, stdin, timeout);
        };
        Duration timeout = Duration.ofSeconds(60);
        backend = new LvmVolumeBackend(recording, timeout, box.vg(), "thinpool",
                new BoxDevices(recording, box.address(), 10809, 10872, timeout), MasterKey.random());
        LocalVolumeDataPath dataPath = new LocalVolumeDataPath();
        dataPath.register(NODE, backend);
        threads = Executors.newFixedThreadPool(1);
        imaging = new ImagingService(NODE, backend, dataPath, threads, bus::publish, Duration.ofMillis(250));
    }

    @AfterAll
    static void stop() throws IOException {
        if (threads != null) {
            threads.shutdownNow();
        }
        if (backend != null) {
            backend.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (box != null) {
            box.stop();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aNoneVolumeImagedIntoANoneTargetIsASnapshotThatDivergesAndOutlivesItsSource() throws Exception {
        int size = 64 * MIB - 1000;
        byte[] data = new byte[size];
        Random random = new Random(11);
        random.nextBytes(data);
        Arrays.fill(data, 8 * MIB, size - MIB, (byte) 0);
        backend.create("src", size, Cipher.NONE, null);
        write("src", 0, data);
        backend.create("dst", 80 * MIB, Cipher.NONE, null);
        int mark = commands.size();

        ImagingFinished done = image("j-snap", "src", "dst", size);

        assertThat(done.error()).isNull();
        assertThat(snapshotsSince(mark)).isEqualTo(1);
        byte[] expected = Arrays.copyOf(data, 80 * MIB);
        assertThat(read("dst")).isEqualTo(expected);
        assertThat(backend.describe("dst")).map(VolumeInfo::size).contains(80L * MIB);

        byte[] mine = new byte[MIB];
        Arrays.fill(mine, (byte) 0x5a);
        write("dst", 0, mine);
        byte[] theirs = new byte[MIB];
        Arrays.fill(theirs, (byte) 0xa5);
        write("src", 2 * MIB, theirs);
        System.arraycopy(mine, 0, expected, 0, MIB);
        System.arraycopy(theirs, 0, data, 2 * MIB, MIB);
        assertThat(read("src")).isEqualTo(data);
        assertThat(read("dst")).isEqualTo(expected);

        assertThat(backend.destroy("src")).isTrue();
        assertThat(read("dst")).isEqualTo(expected);
        assertThat(backend.destroy("dst")).isTrue();
    }

    @Test
    void anEncryptedSourceOrTargetGetsTheByteCopy() throws Exception {
        byte[] data = new byte[4 * MIB];
        new Random(12).nextBytes(data);
        backend.create("sealed", data.length, Cipher.AES_XTS_PLAIN, null);
        write("sealed", 0, data);
        backend.create("open", data.length, Cipher.NONE, null);
        backend.create("sealed-copy", data.length, Cipher.AES_XTS_PLAIN, null);
        int mark = commands.size();

        assertThat(image("j-from-sealed", "sealed", "open", data.length).error()).isNull();
        assertThat(image("j-into-sealed", "open", "sealed-copy", data.length).error()).isNull();

        assertThat(snapshotsSince(mark)).isZero();
        assertThat(read("open")).isEqualTo(data);
        assertThat(read("sealed-copy")).isEqualTo(data);
        for (String volume : List.of("sealed", "open", "sealed-copy")) {
            backend.destroy(volume);
        }
    }

    private static long snapshotsSince(int mark) {
        synchronized (commands) {
            return commands.subList(mark, commands.size()).stream().filter(argv -> argv.contains("--snapshot")).count();
        }
    }

    private static ImagingFinished image(String job, String source, String target, long length)
            throws InterruptedException {
        imaging.submit(new ImageVolume("c-" + job, job, target, new VolumeRef(NODE, source), length, Conversion.NONE));
        return bus.await(ImagingFinished.class, f -> f.job().equals(job), Duration.ofSeconds(300));
    }

    private static void write(String volume, long offset, byte[] data) throws IOException {
        try (VolumeHandle handle = backend.open(volume)) {
            for (int at = 0; at < data.length; at += MIB) {
                handle.write(offset + at, data, at, Math.min(MIB, data.length - at));
            }
            handle.force();
        }
    }

    private static byte[] read(String volume) throws IOException {
        try (VolumeHandle handle = backend.open(volume)) {
            byte[] back = new byte[(int) handle.size()];
            int done = 0;
            while (done < back.length) {
                int n = handle.read(done, back, done, Math.min(MIB, back.length - done));
                if (n <= 0) {
                    throw new IOException(volume + " ended after " + done + " bytes");
                }
                done += n;
            }
            return back;
        }
    }
}
