package io.elasticcloud.storage.volume;

import java.nio.file.Path;

/** The in-memory double against the backend contract: what the fast tests rely on, the files do too. */
class InMemoryVolumeBackendContractTest extends VolumeBackendContract {

    @Override
    protected VolumeBackend open(Path dir) {
        return new InMemoryVolumeBackend();
    }
}
