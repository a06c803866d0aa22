package io.elasticcloud.storage.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.StorageNodeHeartbeat;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.Conversion;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DestroyVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ImportVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ListVolumes;
import io.elasticcloud.protocol.storage.StorageCommands.ResizeVolume;
import io.elasticcloud.protocol.storage.StorageCommands.VolumeList;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.protocol.storage.VolumeRef;
import io.elasticcloud.storage.imaging.ImagingService;
import io.elasticcloud.storage.testing.RecordingTransport;
import io.elasticcloud.storage.volume.InMemoryVolumeBackend;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node semantics on the in-memory backend, driven through the bus as the API would. */
class StorageNodeTest {
    static final long GIB = 1L << 30;
    static final String NODE = "pool-a";

    RecordingTransport bus = new RecordingTransport();
    InMemoryVolumeBackend backend = new InMemoryVolumeBackend();
    LocalVolumeDataPath dataPath = new LocalVolumeDataPath();
    ExecutorService imagingThreads = Executors.newFixedThreadPool(2);
    StorageNode node;

    @BeforeEach
    void start() {
        dataPath.register(NODE, backend);
        ImagingService imaging = new ImagingService(NODE, backend, dataPath, imagingThreads, bus::publish, Duration.ofMillis(250));
        node = new StorageNode(new StorageNode.Settings(NODE, "hw-a", 10 * GIB, Duration.ofMillis(100)), backend, bus, imaging);
        node.start();
    }

    @AfterEach
    void stop() {
        node.close();
        imagingThreads.shutdownNow();
    }

    @Test
    void createIsIdempotentBySameCommandAndBySameState() {
        VolumeInfo first = bus.call(NODE, new CreateVolume("c1", "vol-1", GIB, Cipher.AES_XTS_PLAIN));
        assertThat(first.size()).isEqualTo(GIB);
        assertThat(first.cipher()).isEqualTo(Cipher.AES_XTS_PLAIN);
        assertThat(bus.call(NODE, new CreateVolume("c1", "vol-1", GIB, Cipher.AES_XTS_PLAIN))).isEqualTo(first);
        // another command for the same existing volume and cipher answers its info
        assertThat(bus.call(NODE, new CreateVolume("c2", "vol-1", GIB, Cipher.AES_XTS_PLAIN))).isEqualTo(first);
        assertThat(bus.call(NODE, new ListVolumes("l1")).volumes()).containsExactly(first);
        assertThatThrownBy(() -> bus.call(NODE, new CreateVolume("c3", "vol-1", GIB, Cipher.NONE)))
                .isInstanceOf(ElasticException.class)
                .extracting(e -> ((ElasticException) e).type()).isEqualTo(ErrorType.USAGE);
    }

    @Test
    void redeliveredCreateAfterDestroyDoesNotResurrectTheVolume() {
        bus.call(NODE, new CreateVolume("c1", "vol-1", GIB, Cipher.NONE));
        assertThat(bus.call(NODE, new DestroyVolume("d1", "vol-1"))).isEqualTo(Done.INSTANCE);
        bus.call(NODE, new CreateVolume("c1", "vol-1", GIB, Cipher.NONE));
        assertThat(bus.call(NODE, new ListVolumes("l1")).volumes()).isEmpty();
    }

    @Test
    void fullWhenVolumesWouldPassCapacity() {
        bus.call(NODE, new CreateVolume("c1", "big", 8 * GIB, Cipher.NONE));
        assertThat(type(() -> bus.call(NODE, new CreateVolume("c2", "more", 3 * GIB, Cipher.NONE)))).isEqualTo(ErrorType.FULL);
        assertThat(type(() -> bus.call(NODE, new ResizeVolume("r1", "big", 11 * GIB)))).isEqualTo(ErrorType.FULL);
        // exactly filling the node is allowed
        assertThat(bus.call(NODE, new CreateVolume("c3", "rest", 2 * GIB, Cipher.NONE)).size()).isEqualTo(2 * GIB);
        assertThat(bus.call(NODE, new DescribeNode("n1")).freeBytes()).isZero();
    }

    @Test
    void missingForUnknownVolumes() {
        assertThat(type(() -> bus.call(NODE, new DescribeVolume("q1", "nope")))).isEqualTo(ErrorType.MISSING);
        assertThat(type(() -> bus.call(NODE, new io.elasticcloud.protocol.storage.StorageCommands.AttachVolume("a1", "nope"))))
                .isEqualTo(ErrorType.MISSING);
        assertThat(type(() -> bus.call(NODE, new ResizeVolume("r1", "nope", GIB)))).isEqualTo(ErrorType.MISSING);
        assertThat(type(() -> bus.call(NODE, new ImageVolume("i1", "j1", "nope", new VolumeRef(NODE, "x"), 1, Conversion.NONE))))
                .isEqualTo(ErrorType.MISSING);
        assertThat(type(() -> dataPath.read(new VolumeRef(NODE, "nope"), 0, 10, new ByteArrayOutputStream())))
                .isEqualTo(ErrorType.MISSING);
        // destroying what does not exist is already done
        assertThat(bus.call(NODE, new DestroyVolume("d1", "nope"))).isEqualTo(Done.INSTANCE);
    }

    @Test
    void resizeGrowsKeepsDataAndRefusesShrinking() throws Exception {
        bus.call(NODE, new CreateVolume("c1", "v", 4096, Cipher.NONE));
        dataPath.write(new VolumeRef(NODE, "v"), 100, 5, new ByteArrayInputStream("hello".getBytes()));
        assertThat(type(() -> bus.call(NODE, new ResizeVolume("r1", "v", 4095)))).isEqualTo(ErrorType.USAGE);
        assertThat(bus.call(NODE, new ResizeVolume("r2", "v", 4096)).size()).isEqualTo(4096);
        assertThat(bus.call(NODE, new ResizeVolume("r3", "v", 8192)).size()).isEqualTo(8192);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(dataPath.read(new VolumeRef(NODE, "v"), 100, 10_000, out)).isEqualTo(8092);
        assertThat(new String(out.toByteArray(), 0, 5)).isEqualTo("hello");
        assertThat(bus.call(NODE, new DescribeVolume("q", "v")).size()).isEqualTo(8192);
    }

    @Test
    void heartbeatAtStartAndPeriodicallyWithCapacityAndUse() throws Exception {
        bus.call(NODE, new CreateVolume("c1", "v", 3 * GIB, Cipher.NONE));
        StorageNodeHeartbeat beat = bus.await(StorageNodeHeartbeat.class, h -> h.status().usedBytes() == 3 * GIB,
                Duration.ofSeconds(5));
        assertThat(beat.status()).isEqualTo(new NodeStatus(NODE, "hw-a", 10 * GIB, 3 * GIB));
        assertThat(beat.at()).isNotNull();
        assertThat(bus.events(StorageNodeHeartbeat.class).get(0).status().usedBytes()).isZero();
    }

    @Test
    void writePastTheEndIsFullAndWritesNothing() throws Exception {
        bus.call(NODE, new CreateVolume("c1", "v", 1000, Cipher.NONE));
        VolumeRef v = new VolumeRef(NODE, "v");
        assertThat(type(() -> dataPath.write(v, 990, 20, new ByteArrayInputStream(new byte[20])))).isEqualTo(ErrorType.FULL);
        assertThat(bus.call(NODE, new DescribeVolume("q", "v")).allocatedBytes()).isZero();
        assertThat(dataPath.read(v, 1000, 10, new ByteArrayOutputStream())).isZero();
        assertThat(type(() -> dataPath.read(new VolumeRef("elsewhere", "v"), 0, 1, new ByteArrayOutputStream())))
                .isEqualTo(ErrorType.SYSTEM);
    }

    @Test
    void importCopiesTheFileAsItIs(@TempDir Path dir) throws Exception {
        byte[] content = new byte[100_000];
        new java.util.Random(5).nextBytes(content);
        Path file = dir.resolve("image.gz");
        Files.write(file, content);
        VolumeInfo info = bus.call(NODE, new ImportVolume("i1", "lib-1", file.toString(), Cipher.NONE));
        assertThat(info.size()).isEqualTo(content.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        dataPath.read(new VolumeRef(NODE, "lib-1"), 0, content.length, out);
        assertThat(out.toByteArray()).isEqualTo(content);
        assertThat(bus.call(NODE, new ImportVolume("i2", "lib-1", file.toString(), Cipher.NONE))).isEqualTo(info);
        assertThat(type(() -> bus.call(NODE, new ImportVolume("i3", "lib-2", dir.resolve("none").toString(), Cipher.NONE))))
                .isEqualTo(ErrorType.MISSING);
        assertThat(type(() -> bus.call(NODE, new ImportVolume("i4", "lib-3", "relative/path", Cipher.NONE))))
                .isEqualTo(ErrorType.USAGE);
    }

    @Test
    void invalidNamesAreUsageErrors() {
        assertThat(type(() -> bus.call(NODE, new CreateVolume("c1", "../etc", 1, Cipher.NONE)))).isEqualTo(ErrorType.USAGE);
        assertThat(type(() -> bus.call(NODE, new CreateVolume("c2", "a.b", 1, Cipher.NONE)))).isEqualTo(ErrorType.USAGE);
        assertThat(type(() -> bus.call(NODE, new CreateVolume("c3", "ok", -1, Cipher.NONE)))).isEqualTo(ErrorType.USAGE);
    }

    @Test
    void stopsServingWhenClosed() {
        assertThat(bus.serving(NODE)).isTrue();
        node.close();
        assertThat(bus.serving(NODE)).isFalse();
    }

    static ErrorType type(ThrowingRunnable r) {
        try {
            r.run();
        } catch (ElasticException e) {
            return e.type();
        } catch (Exception e) {
            throw new AssertionError("expected an ElasticException, got " + e, e);
        }
        throw new AssertionError("expected an ElasticException");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
