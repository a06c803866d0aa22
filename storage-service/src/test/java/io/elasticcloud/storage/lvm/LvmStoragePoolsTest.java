package io.elasticcloud.storage.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.Conversion;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DestroyVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.VolumeRef;
import io.elasticcloud.storage.StoragePools;
import io.elasticcloud.storage.StorageProperties;
import io.elasticcloud.storage.node.StorageNode;
import io.elasticcloud.storage.testing.RecordingTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A storage node on an LVM pool in a real storage box, as the storage service configures and
 * runs it: capacity from the thin pool, {@code full} past it, imaging with gzip and gunzip through
 * the opened devices.
 */
@Tag("guest")
@Tag("root")
class LvmStoragePoolsTest {
    private static final String NODE = "lvm-0";

    @TempDir
    Path dir;
    private final RecordingTransport bus = new RecordingTransport();
    private StoragePools pools;

    @BeforeEach
    void start() throws IOException {
        StorageBox box = StorageBox.shared();
        StorageProperties.Pool pool = new StorageProperties.Pool(NODE, null, null, null, StorageProperties.Backend.LVM,
                new StorageProperties.Lvm(box.vg(), "thinpool", box.agent(), box.address(), "10809-10872",
                        Duration.ofSeconds(60)));
        StorageProperties properties = new StorageProperties(List.of(pool), dir.resolve("keys/master.key"),
                Duration.ofSeconds(60), 1, Duration.ofMillis(250), 8, "storage-a",
                new StorageProperties.Nbd("127.0.0.1", "10809-10872", "qemu-storage-daemon", dir.resolve("exports"),
                        Duration.ofSeconds(20)),
                new StorageProperties.DataPath(null, 0, null, 1), null);
        pools = new StoragePools(properties, dir, bus);
    }

    @AfterEach
    void stop() {
        for (String volume : List.of("src", "zipped", "copy", "small")) {
            try {
                bus.call(NODE, new DestroyVolume("d-" + volume, volume));
            } catch (RuntimeException ignored) {
                // not made by this test
            }
        }
        pools.close();
    }

    @Test
    void capacityIsTheThinPoolAndWhatDoesNotFitIsFull() throws IOException {
        StorageNode node = pools.nodes().get(0);
        long capacity = node.status().capacityBytes();
        assertThat(capacity).isEqualTo(((LvmVolumeBackend) node.backend()).poolSize()).isGreaterThan(1L << 30);
        assertThatThrownBy(() -> bus.call(NODE, new CreateVolume("c-big", "big", capacity + (1 << 20), Cipher.NONE)))
                .isInstanceOfSatisfying(ElasticException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.FULL));
        bus.call(NODE, new CreateVolume("c-small", "small", 1 << 20, Cipher.AES_XTS_PLAIN));
        assertThat(node.status().usedBytes()).isGreaterThanOrEqualTo(1 << 20);
        assertThat(node.status().hardware()).as("avoid keeps drives on different volume groups")
                .isEqualTo(StorageBox.shared().address() + "/" + StorageBox.shared().vg());
    }

    @Test
    void gzipThenGunzipThroughTheOpenedDevicesIsByteIdentical() throws Exception {
        byte[] data = new byte[3 << 20];
        Random random = new Random(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + random.nextInt(4));
        }
        bus.call(NODE, new CreateVolume("c1", "src", data.length, Cipher.AES_XTS_PLAIN));
        pools.dataPath().write(new VolumeRef(NODE, "src"), 0, data.length, new ByteArrayInputStream(data));
        bus.call(NODE, new CreateVolume("c2", "zipped", data.length, Cipher.NONE));
        bus.call(NODE, new CreateVolume("c3", "copy", data.length, Cipher.AES_XTS_PLAIN));

        bus.call(NODE, new ImageVolume("c4", "j-gzip", "zipped", new VolumeRef(NODE, "src"), data.length, Conversion.GZIP));
        assertThat(finished("j-gzip").error()).isNull();
        bus.call(NODE, new ImageVolume("c5", "j-gunzip", "copy", new VolumeRef(NODE, "zipped"), data.length,
                Conversion.GUNZIP));
        assertThat(finished("j-gunzip").error()).isNull();

        ByteArrayOutputStream back = new ByteArrayOutputStream();
        pools.dataPath().read(new VolumeRef(NODE, "copy"), 0, data.length, back);
        assertThat(back.toByteArray()).isEqualTo(data);
    }

    private ImagingFinished finished(String job) throws InterruptedException {
        return bus.await(ImagingFinished.class, f -> f.job().equals(job), Duration.ofSeconds(120));
    }
}
