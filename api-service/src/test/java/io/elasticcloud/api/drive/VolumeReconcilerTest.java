package io.elasticcloud.api.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiTestBase;
import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DestroyVolume;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** After a crash between a row and its volume, the two are brought back in line. */
class VolumeReconcilerTest extends ApiTestBase {
    @Autowired
    VolumeReconciler reconciler;
    @Autowired
    NodeClient storageClient;
    @Autowired
    DriveRepository drives;

    @Test
    void destroysVolumesNoDriveHasAndRecreatesMissingOnes() {
        String stray = UUID.randomUUID().toString();
        storageClient.call("fake-a", new CreateVolume("c1", stray, 4096, Cipher.NONE));
        String drive = properties(api.post("/drives/create", "name kept\nsize 4096\n")).get("drive");
        String node = drives.findById(UUID.fromString(drive)).orElseThrow().storageNode();
        // the volume is lost while its node keeps running (which remembers its reply to the
        // creation): the reconciler's own command recreates it
        storageClient.call(node, new DestroyVolume("d1", drive));
        assertThat(storage.holds(node, drive)).isFalse();

        reconciler.reconcileAll();

        assertThat(storage.holds("fake-a", stray)).isFalse();
        assertThat(storage.holds(node, drive)).isTrue();
        assertThat(api.get("/drives/" + drive + "/read/0/16").statusCode()).isEqualTo(200);
    }
}
