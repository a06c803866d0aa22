package io.elasticcloud.storage.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.storage.export.InMemoryExportDaemons;
import io.elasticcloud.storage.export.NbdExports;
import io.elasticcloud.storage.imaging.ImagingService;
import io.elasticcloud.storage.testing.RecordingTransport;
import io.elasticcloud.storage.volume.FileVolumeBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Path or export: a node gives a guest on its own host the volume's path, unless its volumes are on
 * another machine (an LVM pool's storage host), whose node exports every volume to every guest.
 */
class StorageNodeExportTest {
    private static final String NODE = "pool-x";
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;
    private final RecordingTransport bus = new RecordingTransport();
    private final ExecutorService imagingThreads = Executors.newSingleThreadExecutor();
    private StorageNode node;

    private void start(boolean exportAlways) throws IOException {
        FileVolumeBackend backend = new FileVolumeBackend(dir.resolve("volumes"), MasterKey.random(), 4);
        NbdExports exports = new NbdExports(new NbdExports.Settings("169.254.77.41", 10873, 10880, dir.resolve("exports")),
                new InMemoryExportDaemons());
        ImagingService imaging = new ImagingService(NODE, backend, new LocalVolumeDataPath(), imagingThreads, bus::publish,
                Duration.ofSeconds(1));
        node = new StorageNode(new StorageNode.Settings(NODE, "hw-x", 10 * GIB, Duration.ofSeconds(10), "host-a"),
                backend, bus, imaging, exports, exportAlways);
        node.start();
        bus.call(NODE, new CreateVolume("c1", "v1", 1 << 20, Cipher.AES_XTS_PLAIN));
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        imagingThreads.shutdownNow();
    }

    @Test
    void aGuestOnTheNodesHostGetsThePathUnlessTheNodeExportsAlways() throws IOException {
        start(false);
        VolumeAttachment local = bus.call(NODE, new AttachVolume("a1", "v1", "host-a", "s1/1"));
        assertThat(local.nbd()).isNull();
        assertThat(local.path()).endsWith(".luks");
    }

    @Test
    void aNodeThatExportsAlwaysExportsToItsOwnHostAndToACallerNamingNone() throws IOException {
        start(true);
        VolumeAttachment sameHost = bus.call(NODE, new AttachVolume("a1", "v1", "host-a", "s1/1"));
        VolumeAttachment noHost = bus.call(NODE, new AttachVolume("a2", "v1", null, "s2/2", true));

        assertThat(sameHost.path()).isNull();
        assertThat(sameHost.nbd()).isEqualTo(new NbdExport("169.254.77.41", 10873, "v1"));
        assertThat(sameHost.cipher()).isEqualTo(Cipher.AES_XTS_PLAIN);
        assertThat(sameHost.passphrase()).isNotBlank();
        assertThat(noHost.nbd()).isEqualTo(new NbdExport("169.254.77.41", 10874, "v1"));
    }
}
