package io.elasticcloud.storage.lvm;

import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.storage.host.GuestAgentCommands;
import io.elasticcloud.storage.volume.VolumeBackend;
import io.elasticcloud.storage.volume.VolumeBackendContract;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;

/**
 * The volume backend contract against LVM and dm-crypt for real: thin LVs and LUKS1 in a booted
 * storage box ({@link StorageBox}), driven through its guest agent, bytes over NBD.
 */
@Tag("guest")
@Tag("root")
class LvmVolumeBackendContractTest extends VolumeBackendContract {
    private static final MasterKey MASTER_KEY = MasterKey.random();

    @Override
    protected VolumeBackend open(Path dir) throws IOException {
        StorageBox box = StorageBox.shared();
        GuestAgentCommands commands = new GuestAgentCommands(box.agent());
        Duration timeout = Duration.ofSeconds(60);
        BoxDevices devices;
        try {
            devices = new BoxDevices(commands, box.address(), 10809, 10872, timeout);
        } catch (IOException | RuntimeException e) {
            commands.close();
            throw e;
        }
        LvmVolumeBackend backend = new LvmVolumeBackend(commands, timeout, box.vg(), "thinpool", devices, MASTER_KEY);
        for (VolumeInfo left : backend.list()) {
            backend.destroy(left.volume());
        }
        return backend;
    }
}
