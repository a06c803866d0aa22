package io.elasticcloud.storage.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import io.elasticcloud.protocol.storage.StorageCommands.ListVolumes;
import io.elasticcloud.protocol.storage.StorageCommands.ResizeVolume;
import io.elasticcloud.storage.imaging.ImagingService;
import io.elasticcloud.storage.luks.LuksFormatter;
import io.elasticcloud.storage.testing.RecordingTransport;
import io.elasticcloud.storage.volume.FileVolumeBackend;
import io.elasticcloud.protocol.secret.MasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage node on real files counts what its volumes take on disk (an encrypted volume's header
 * and key file besides its size) and keeps the real disk's room for what its sparse volumes may
 * still grow into, plus its headroom: a create that would eat into that is {@code full}.
 */
class StorageNodeDiskTest {
    static final long GIB = 1L << 30;
    static final String NODE = "pool-d";

    @TempDir
    Path dir;
    RecordingTransport bus = new RecordingTransport();
    ExecutorService imagingThreads = Executors.newFixedThreadPool(1);
    FileVolumeBackend backend;
    StorageNode node;

    StorageNode start(long capacity, long headroom) throws Exception {
        backend = new FileVolumeBackend(dir.resolve("volumes"), MasterKey.random(), 8);
        ImagingService imaging = new ImagingService(NODE, backend, new LocalVolumeDataPath(), imagingThreads,
                bus::publish, Duration.ofMillis(250));
        node = new StorageNode(new StorageNode.Settings(NODE, "hw-d", capacity, Duration.ofSeconds(60), null, null,
                headroom), backend, bus, imaging);
        node.start();
        return node;
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        imagingThreads.shutdownNow();
    }

    @Test
    void anEncryptedVolumeCountsItsHeaderAndKeyFileNotOnlyItsSize() throws Exception {
        start(100 * GIB, 0);
        bus.call(NODE, new CreateVolume("c1", "tiny", 1, Cipher.AES_XTS_PLAIN));
        bus.call(NODE, new CreateVolume("c2", "raw", 1, Cipher.NONE));
        NodeStatus status = bus.call(NODE, new DescribeNode("n1"));
        long encrypted = 4096 + LuksFormatter.WRITTEN_HEADER_BYTES + 4096;
        assertThat(status.usedBytes()).isEqualTo(encrypted + 4096);
        assertThat(status.volumeOverheadBytes()).isEqualTo(LuksFormatter.WRITTEN_HEADER_BYTES + 4096);
        // what it counts is never less than what the files really take
        long allocated = bus.call(NODE, new ListVolumes("l1")).volumes().stream()
                .mapToLong(v -> v.allocatedBytes()).sum() + Files.size(dir.resolve("volumes/tiny.luks.key"));
        assertThat(allocated).isGreaterThan(250 * 1024).isLessThanOrEqualTo(status.usedBytes());
        assertThat(status.roomOnDiskBytes()).isNotNull().isPositive();
    }

    @Test
    void aCreatesCheckOfRoomReadsNoOtherVolumesFiles() throws Exception {
        start(100 * GIB, 0);
        long footprint = 4096 + LuksFormatter.WRITTEN_HEADER_BYTES + 4096;
        bus.call(NODE, new CreateVolume("c1", "other", 1, Cipher.AES_XTS_PLAIN));
        // were the other volumes' key files read at each create (the cost grew with their number), this one would fail
        Files.writeString(dir.resolve("volumes/other.luks.key"), "not a key file");
        assertThat(bus.call(NODE, new CreateVolume("c2", "next", 1, Cipher.AES_XTS_PLAIN)).volume()).isEqualTo("next");
        assertThat(bus.call(NODE, new DescribeNode("n1")).usedBytes()).isEqualTo(2 * footprint);
    }

    @Test
    void theCapacityCountsFootprintsSoTinyEncryptedVolumesFillIt() throws Exception {
        long footprint = 4096 + LuksFormatter.WRITTEN_HEADER_BYTES + 4096;
        start(3 * footprint, 0);
        for (int i = 0; i < 3; i++) {
            bus.call(NODE, new CreateVolume("c" + i, "t" + i, 1, Cipher.AES_XTS_PLAIN));
        }
        assertThat(StorageNodeTest.type(() -> bus.call(NODE, new CreateVolume("c3", "t3", 1, Cipher.AES_XTS_PLAIN))))
                .isEqualTo(ErrorType.FULL);
        assertThat(dir.resolve("volumes").toFile().list()).as("nothing half-made").hasSize(6);
    }

    @Test
    void theRealDiskKeepsRoomForWhatSparseVolumesMayStillTakeAndTheHeadroom() throws Exception {
        long usable = Files.getFileStore(dir).getUsableSpace();
        // 1.5 GiB of the disk's real room left to this node; other users of the disk may take some meanwhile
        start(100 * usable, usable - 3 * GIB / 2);
        bus.call(NODE, new CreateVolume("c1", "first", GIB, Cipher.NONE));
        // the first volume is sparse, nothing written: it may still take its 1 GiB, so a second does not fit
        assertThat(StorageNodeTest.type(() -> bus.call(NODE, new CreateVolume("c2", "second", GIB, Cipher.NONE))))
                .isEqualTo(ErrorType.FULL);
        assertThat(StorageNodeTest.type(() -> bus.call(NODE, new ResizeVolume("r1", "first", 2 * GIB))))
                .isEqualTo(ErrorType.FULL);
        assertThat(bus.call(NODE, new DescribeNode("n1")).roomOnDiskBytes()).isLessThan(GIB);
        assertThat(dir.resolve("volumes").toFile().list()).containsExactly("first.raw");
    }
}
