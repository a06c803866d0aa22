package io.elasticcloud.storage.volume;

import io.elasticcloud.protocol.secret.MasterKey;
import java.io.IOException;
import java.nio.file.Path;

/** Sparse files and qemu LUKS files in a temporary directory against the backend contract. */
class FileVolumeBackendContractTest extends VolumeBackendContract {

    @Override
    protected VolumeBackend open(Path dir) throws IOException {
        return new FileVolumeBackend(dir.resolve("pool"), MasterKey.loadOrCreate(dir.resolve("keys/master.key")), 4);
    }
}
