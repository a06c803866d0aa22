package io.elasticcloud.storage.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.Events.ImagingProgress;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.Conversion;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.protocol.storage.VolumeRef;
import io.elasticcloud.storage.node.LocalVolumeDataPath;
import io.elasticcloud.storage.testing.RecordingTransport;
import io.elasticcloud.storage.volume.InMemoryVolumeBackend;
import io.elasticcloud.storage.volume.VolumeBackend;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When an imaging job asks the backend for a cheap copy ({@link VolumeBackend#cloneInto}) and
 * what it does with the answer: only a whole source of its own node without conversion is
 * offered; a backend that takes it ends the job at once with no byte moved, one that declines gets
 * the byte copy.
 */
class ImagingCloneTest {
    private static final int SIZE = 3 << 20;

    private final RecordingTransport bus = new RecordingTransport();
    private final LocalVolumeDataPath dataPath = new LocalVolumeDataPath();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final Cloning here = new Cloning();
    private final InMemoryVolumeBackend there = new InMemoryVolumeBackend();
    private final ImagingService imaging = new ImagingService("here", here, dataPath, threads, bus::publish, Duration.ZERO);
    private final byte[] data = new byte[SIZE];

    ImagingCloneTest() throws IOException {
        new Random(3).nextBytes(data);
        dataPath.register("here", here);
        dataPath.register("there", there);
        here.create("src", SIZE, Cipher.NONE, new ByteArrayInputStream(data));
        there.create("src", SIZE, Cipher.NONE, new ByteArrayInputStream(data));
        here.create("dst", SIZE, Cipher.NONE, null);
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    @Test
    void aWholeSourceOfThisNodeWithoutConversionIsClonedAndNoByteIsCopied() throws Exception {
        here.answer = true;
        imaging.submit(new ImageVolume("c1", "j1", "dst", new VolumeRef("here", "src"), SIZE, Conversion.NONE));
        assertThat(finished("j1").error()).isNull();
        assertThat(here.asked).containsExactly("src->dst:" + SIZE);
        assertThat(here.writes).isZero();
        assertThat(bus.events(ImagingProgress.class)).extracting(ImagingProgress::percent).containsExactly(0);
    }

    @Test
    void aDeclinedCloneFallsBackToTheByteCopy() throws Exception {
        here.answer = false;
        imaging.submit(new ImageVolume("c1", "j1", "dst", new VolumeRef("here", "src"), SIZE, Conversion.NONE));
        assertThat(finished("j1").error()).isNull();
        assertThat(here.asked).containsExactly("src->dst:" + SIZE);
        assertThat(read("dst")).isEqualTo(data);
    }

    @Test
    void aSourceOfAnotherNodeOrAConversionIsNeverOffered() throws Exception {
        here.answer = true;
        imaging.submit(new ImageVolume("c1", "j1", "dst", new VolumeRef("there", "src"), SIZE, Conversion.NONE));
        assertThat(finished("j1").error()).isNull();
        assertThat(read("dst")).isEqualTo(data);
        here.create("zipped", SIZE + (1 << 20), Cipher.NONE, null);
        imaging.submit(new ImageVolume("c2", "j2", "zipped", new VolumeRef("here", "src"), SIZE, Conversion.GZIP));
        assertThat(finished("j2").error()).isNull();
        assertThat(here.asked).isEmpty();
    }

    @Test
    void aFailingCloneFailsTheJob() throws Exception {
        here.failure = new IOException("lvcreate failed");
        imaging.submit(new ImageVolume("c1", "j1", "dst", new VolumeRef("here", "src"), SIZE, Conversion.NONE));
        ImagingFinished done = finished("j1");
        assertThat(done.error()).isEqualTo(io.elasticcloud.protocol.ErrorType.SYSTEM);
        assertThat(done.message()).doesNotContain("lvcreate");
    }

    private ImagingFinished finished(String job) throws InterruptedException {
        return bus.await(ImagingFinished.class, f -> f.job().equals(job), Duration.ofSeconds(30));
    }

    private byte[] read(String volume) throws IOException {
        byte[] back = new byte[SIZE];
        try (VolumeHandle h = here.open(volume)) {
            int done = 0;
            while (done < SIZE) {
                done += h.read(done, back, done, SIZE - done);
            }
        }
        return back;
    }

    /** An in-memory backend whose clone answers as told, copying the bytes itself when it takes it. */
    private static final class Cloning implements VolumeBackend {
        private final InMemoryVolumeBackend volumes = new InMemoryVolumeBackend();
        final List<String> asked = new ArrayList<>();
        volatile boolean answer;
        volatile IOException failure;
        volatile int writes;

        @Override
        public boolean cloneInto(String source, String target, long length) throws IOException {
            synchronized (asked) {
                asked.add(source + "->" + target + ":" + length);
            }
            if (failure != null) {
                throw failure;
            }
            if (answer) {
                byte[] bytes = new byte[(int) length];
                try (VolumeHandle from = volumes.open(source); VolumeHandle to = volumes.open(target)) {
                    for (int done = 0; done < bytes.length; ) {
                        done += from.read(done, bytes, done, bytes.length - done);
                    }
                    to.write(0, bytes, 0, bytes.length);
                }
            }
            return answer;
        }

        @Override
        public VolumeInfo create(String volume, long size, Cipher cipher, InputStream content) throws IOException {
            return volumes.create(volume, size, cipher, content);
        }

        @Override
        public Optional<VolumeInfo> describe(String volume) {
            return volumes.describe(volume);
        }

        @Override
        public List<VolumeInfo> list() {
            return volumes.list();
        }

        @Override
        public long totalSize() {
            return volumes.totalSize();
        }

        @Override
        public VolumeInfo grow(String volume, long size) {
            return volumes.grow(volume, size);
        }

        @Override
        public boolean destroy(String volume) {
            return volumes.destroy(volume);
        }

        /** Counts the writes that come through a handle (the byte copy's). */
        @Override
        public VolumeHandle open(String volume) {
            VolumeHandle inner = volumes.open(volume);
            return new VolumeHandle() {
                @Override
                public long size() {
                    return inner.size();
                }

                @Override
                public int read(long offset, byte[] dst, int off, int len) throws IOException {
                    return inner.read(offset, dst, off, len);
                }

                @Override
                public void write(long offset, byte[] src, int off, int len) throws IOException {
                    writes++;
                    inner.write(offset, src, off, len);
                }

                @Override
                public void force() throws IOException {
                    inner.force();
                }

                @Override
                public void close() throws IOException {
                    inner.close();
                }
            };
        }

        @Override
        public void close() {
            volumes.close();
        }
    }
}
