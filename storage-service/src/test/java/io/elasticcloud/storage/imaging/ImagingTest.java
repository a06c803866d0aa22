package io.elasticcloud.storage.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.Events.ImagingProgress;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.Conversion;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.VolumeRef;
import io.elasticcloud.storage.node.LocalVolumeDataPath;
import io.elasticcloud.storage.testing.RecordingTransport;
import io.elasticcloud.storage.volume.FileVolumeBackend;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imaging between real volume files, with the source on this node or another. */
class ImagingTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    RecordingTransport bus = new RecordingTransport();
    LocalVolumeDataPath dataPath = new LocalVolumeDataPath();
    ExecutorService threads = Executors.newFixedThreadPool(3);
    FileVolumeBackend here;
    FileVolumeBackend there;
    ImagingService imaging;

    @BeforeEach
    void setUp() throws IOException {
        MasterKey key = MasterKey.random();
        here = new FileVolumeBackend(dir.resolve("here"), key, 8);
        there = new FileVolumeBackend(dir.resolve("there"), key, 8);
        dataPath.register("here", here);
        dataPath.register("there", there);
        imaging = new ImagingService("here", here, dataPath, threads, bus::publish, Duration.ZERO);
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    @Test
    void gzipThenGunzipIsByteIdentical() throws Exception {
        byte[] data = compressibleData(5 << 20);
        create(there, "src", data.length, data);
        create(here, "zipped", data.length, null);
        create(here, "copy", data.length, null);
        imaging.submit(new ImageVolume("c1", "j-gzip", "zipped", new VolumeRef("there", "src"), data.length, Conversion.GZIP));
        assertThat(finished("j-gzip").error()).isNull();
        // the whole zipped drive as source: the zeros after the gzip stream are ignored
        imaging.submit(new ImageVolume("c2", "j-gunzip", "copy", new VolumeRef("here", "zipped"), data.length, Conversion.GUNZIP));
        assertThat(finished("j-gunzip").error()).isNull();
        assertThat(read(here, "copy")).isEqualTo(data);
        assertThat(here.describe("zipped").orElseThrow().allocatedBytes()).isLessThan(data.length / 2);
    }

    @Test
    void fullStopsAndKeepsWhatFitted() throws Exception {
        byte[] data = new byte[3 << 20];
        new Random(1).nextBytes(data);
        create(there, "src", data.length, data);
        int small = (1 << 20) + 123;
        create(here, "small", small, null);
        imaging.submit(new ImageVolume("c1", "j-full", "small", new VolumeRef("there", "src"), data.length, Conversion.NONE));
        ImagingFinished done = finished("j-full");
        assertThat(done.error()).isEqualTo(ErrorType.FULL);
        assertThat(done.message()).contains("small");
        assertThat(read(here, "small")).isEqualTo(Arrays.copyOf(data, small));
    }

    @Test
    void gunzipOfSomethingNotGzipIsAUsageError() throws Exception {
        byte[] data = "this is not gzip at all".repeat(1000).getBytes();
        create(here, "junk", data.length, data);
        create(here, "dst", 1 << 20, null);
        imaging.submit(new ImageVolume("c1", "j-bad", "dst", new VolumeRef("here", "junk"), data.length, Conversion.GUNZIP));
        ImagingFinished done = finished("j-bad");
        assertThat(done.error()).isEqualTo(ErrorType.USAGE);
        assertThat(done.message()).contains("gzip");
    }

    @Test
    void missingSourceFailsTheJobWithMissing() throws Exception {
        create(here, "dst", 4096, null);
        imaging.submit(new ImageVolume("c1", "j-nosrc", "dst", new VolumeRef("there", "ghost"), 4096, Conversion.NONE));
        assertThat(finished("j-nosrc").error()).isEqualTo(ErrorType.MISSING);
    }

    @Test
    void jobsForOneTargetRunOneAtATimeInOrderAndAJobIdStartsOnce() throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(2).nextBytes(data);
        create(there, "src", data.length, data);
        create(here, "dst", data.length, null);
        List<String> jobs = List.of("q1", "q2", "q3", "q4");
        for (String job : jobs) {
            assertThat(imaging.submit(new ImageVolume("c-" + job, job, "dst", new VolumeRef("there", "src"), data.length,
                    Conversion.NONE))).isTrue();
        }
        assertThat(imaging.submit(new ImageVolume("c-again", "q2", "dst", new VolumeRef("there", "src"), data.length,
                Conversion.NONE))).isFalse();
        assertThat(imaging.busy("dst")).isTrue();
        finished("q4");
        // every job's events lie between its start (0%) and its end, with no other job in between
        List<String> order = bus.events().stream()
                .filter(e -> e instanceof ImagingProgress p && p.percent() == 0 || e instanceof ImagingFinished)
                .map(e -> e instanceof ImagingProgress p ? "start " + p.job() : "end " + ((ImagingFinished) e).job())
                .toList();
        assertThat(order).containsExactly("start q1", "end q1", "start q2", "end q2", "start q3", "end q3", "start q4", "end q4");
        assertThat(bus.events(ImagingFinished.class)).hasSize(4).allMatch(f -> f.error() == null);
        assertThat(read(here, "dst")).isEqualTo(data);
        waitUntilIdle("dst");
        // finished ids are remembered too
        assertThat(imaging.submit(new ImageVolume("c-late", "q1", "dst", new VolumeRef("there", "src"), 1, Conversion.NONE))).isFalse();
    }

    @Test
    void aCancelledJobRunningOrWaitingNeverCopiesAndIsAnnouncedEndedAlsoWhenSentAgain() throws Exception {
        byte[] data = new byte[4 << 20];
        new Random(5).nextBytes(data);
        create(there, "src", data.length, data);
        create(here, "dst", data.length, null);
        // k1 taken by an imaging thread but held before its first byte; k2 and k3 waiting behind it
        CountDownLatch gate = new CountDownLatch(1);
        ImagingService held = new ImagingService("here", here, dataPath, r -> threads.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                return;
            }
            r.run();
        }), bus::publish, Duration.ZERO);
        for (String job : List.of("k1", "k2", "k3")) {
            held.submit(new ImageVolume("c-" + job, job, "dst", new VolumeRef("there", "src"), data.length, Conversion.NONE));
        }
        held.cancel("k1", "dst");
        held.cancel("k2", "dst");
        held.cancel("k9", "dst");
        gate.countDown();
        finished("k3");
        assertThat(read(here, "dst")).as("k3 copied").isEqualTo(data);
        assertThat(bus.events(ImagingProgress.class)).as("k1 and k2 never started").extracting(ImagingProgress::job)
                .containsOnly("k3");
        assertThat(bus.events(ImagingFinished.class)).filteredOn(f -> !f.job().equals("k3"))
                .allSatisfy(f -> assertThat(f.error()).isEqualTo(ErrorType.MISSING)).extracting(ImagingFinished::job)
                .containsExactly("k1", "k2", "k9");
        // sent again (by an API instance that had not heard), none runs: its end is told again
        for (String job : List.of("k1", "k2", "k9")) {
            assertThat(held.submit(new ImageVolume("c-again", job, "dst", new VolumeRef("there", "src"), data.length,
                    Conversion.NONE))).isFalse();
        }
        assertThat(bus.events(ImagingFinished.class)).extracting(ImagingFinished::job)
                .containsExactly("k1", "k2", "k9", "k3", "k1", "k2", "k9");
        assertThat(bus.events(ImagingProgress.class)).extracting(ImagingProgress::job).containsOnly("k3");
    }

    @Test
    void aFinishedJobSentAgainIsAnnouncedAgainNotRun() throws Exception {
        // the API missed the end (it was down as the node published it): it sends the job again
        byte[] data = new byte[1 << 20];
        new Random(3).nextBytes(data);
        create(there, "src", data.length, data);
        create(here, "dst", data.length, null);
        ImageVolume job = new ImageVolume("c-1", "j1", "dst", new VolumeRef("there", "src"), data.length, Conversion.GZIP);
        assertThat(imaging.submit(job)).isTrue();
        ImagingFinished first = finished("j1");
        waitUntilIdle("dst");
        int progress = bus.events(ImagingProgress.class).size();

        assertThat(imaging.submit(new ImageVolume("c-2", "j1", "dst", new VolumeRef("there", "src"), data.length,
                Conversion.GZIP))).isFalse();
        assertThat(bus.events(ImagingFinished.class)).containsExactly(first, first);
        assertThat(bus.events(ImagingProgress.class)).as("not run again").hasSize(progress);
        assertThat(imaging.busy("dst")).isFalse();
    }

    @Test
    void progressIsMonotonicPerWholePercentAndEndsWithFinished() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(3).nextBytes(data);
        create(there, "src", data.length, data);
        create(here, "dst", data.length, null);
        imaging.submit(new ImageVolume("c1", "j-prog", "dst", new VolumeRef("there", "src"), data.length, Conversion.NONE));
        finished("j-prog");
        List<Event> mine = bus.events().stream().filter(e -> e instanceof ImagingProgress p && p.job().equals("j-prog")
                || e instanceof ImagingFinished f && f.job().equals("j-prog")).toList();
        assertThat(mine.get(mine.size() - 1)).isInstanceOf(ImagingFinished.class);
        List<Integer> percents = mine.stream().filter(ImagingProgress.class::isInstance)
                .map(e -> ((ImagingProgress) e).percent()).toList();
        assertThat(percents.get(0)).isZero();
        assertThat(percents).isSorted().doesNotHaveDuplicates();
        assertThat(percents.size()).isBetween(2, 101);
        assertThat(percents.get(percents.size() - 1)).isEqualTo(100);
    }

    @Test
    void progressIsRateLimited() throws Exception {
        ImagingService slow = new ImagingService("here", here, dataPath, threads, bus::publish, Duration.ofHours(1));
        byte[] data = new byte[4 << 20];
        create(there, "src", data.length, data);
        create(here, "dst", data.length, null);
        slow.submit(new ImageVolume("c1", "j-rate", "dst", new VolumeRef("there", "src"), data.length, Conversion.NONE));
        finished("j-rate");
        // only the start event: every later percent came within the interval
        assertThat(bus.events(ImagingProgress.class)).extracting(ImagingProgress::percent).containsExactly(0);
    }

    @Test
    void imagesIntoAnEncryptedTarget() throws Exception {
        byte[] data = compressibleData(2 << 20);
        create(there, "src", data.length, data);
        here.create("enc", data.length, Cipher.AES_XTS_PLAIN, null);
        imaging.submit(new ImageVolume("c1", "j-enc", "enc", new VolumeRef("there", "src"), data.length, Conversion.NONE));
        assertThat(finished("j-enc").error()).isNull();
        assertThat(read(here, "enc")).isEqualTo(data);
    }

    /**
     * A shutdown stops the running copy at its next buffer without interrupting it (an
     * interrupted FileChannel closes under the volume: ClosedByInterruptException) and without
     * reporting it or the queued jobs, so that they stay recorded by the API service; sent again
     * to the node that comes back, the same job ids run from the start and end with the right bytes.
     */
    @Test
    void aShutdownStopsCopiesUnreportedAndTheSameJobsRunWhenSentAgain() throws Exception {
        byte[] data = new byte[8 << 20];
        new Random(5).nextBytes(data);
        byte[] second = new byte[1 << 20];
        new Random(6).nextBytes(second);
        create(there, "src", data.length, data);
        create(there, "src2", second.length, second);
        create(here, "dst", data.length, null);
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        io.elasticcloud.protocol.storage.VolumeDataPath held = new io.elasticcloud.protocol.storage.VolumeDataPath() {
            @Override
            public long read(VolumeRef volume, long offset, long length, java.io.OutputStream out) throws IOException {
                if (offset > 0) { // the copy has begun: hold it until the shutdown has been asked for
                    reading.countDown();
                    try {
                        stopped.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError("interrupted: a shutdown must not interrupt a copy", e);
                    }
                }
                return dataPath.read(volume, offset, length, out);
            }

            @Override
            public void write(VolumeRef volume, long offset, long length, java.io.InputStream in) throws IOException {
                dataPath.write(volume, offset, length, in);
            }
        };
        ExecutorService own = Executors.newFixedThreadPool(1);
        ImagingService node = new ImagingService("here", here, held, own, bus::publish, Duration.ZERO);
        ImageVolume first = new ImageVolume("c1", "s1", "dst", new VolumeRef("there", "src"), data.length, Conversion.NONE);
        ImageVolume queued = new ImageVolume("c2", "s2", "dst", new VolumeRef("there", "src2"), second.length,
                Conversion.NONE);
        assertThat(node.submit(first)).isTrue();
        assertThat(node.submit(queued)).isTrue();
        assertThat(reading.await(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        node.close();
        stopped.countDown();
        own.shutdown();
        assertThat(own.awaitTermination(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(node.running()).isFalse();
        assertThat(bus.events(ImagingFinished.class)).isEmpty();
        assertThat(bus.events(ImagingProgress.class)).extracting(ImagingProgress::job).doesNotContain("s2");
        assertThatThrownBy(() -> node.submit(new ImageVolume("c3", "s3", "dst", new VolumeRef("there", "src"), 1,
                Conversion.NONE))).isInstanceOf(io.elasticcloud.protocol.ElasticException.class);

        // the node back: the same ids, sent again in their order, run from the start
        assertThat(imaging.submit(first)).isTrue();
        assertThat(imaging.submit(queued)).isTrue();
        assertThat(finished("s1").error()).isNull();
        assertThat(finished("s2").error()).isNull();
        byte[] expected = data.clone();
        System.arraycopy(second, 0, expected, 0, second.length);
        assertThat(read(here, "dst")).isEqualTo(expected);
    }

    private ImagingFinished finished(String job) throws InterruptedException {
        return bus.await(ImagingFinished.class, f -> f.job().equals(job), WAIT);
    }

    private void waitUntilIdle(String target) throws InterruptedException {
        for (int i = 0; i < 500 && imaging.busy(target); i++) {
            Thread.sleep(10);
        }
        assertThat(imaging.busy(target)).isFalse();
    }

    static void create(FileVolumeBackend backend, String name, long size, byte[] content) throws IOException {
        backend.create(name, size, Cipher.NONE, content == null ? null : new ByteArrayInputStream(content));
    }

    static byte[] read(FileVolumeBackend backend, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (VolumeHandle h = backend.open(name)) {
            byte[] buf = new byte[(int) h.size()];
            int n = h.read(0, buf, 0, buf.length);
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** Text-like data: gzip shrinks it a lot, like a real disk image's mostly-empty blocks. */
    static byte[] compressibleData(int n) {
        byte[] b = new byte[n];
        Random r = new Random(4);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + r.nextInt(4));
        }
        return b;
    }
}
