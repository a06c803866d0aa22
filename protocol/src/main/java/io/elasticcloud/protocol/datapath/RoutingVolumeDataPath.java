package io.elasticcloud.protocol.datapath;

import io.elasticcloud.protocol.storage.LocalDataPath;
import io.elasticcloud.protocol.storage.VolumeDataPath;
import io.elasticcloud.protocol.storage.VolumeRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The data path of a process: a direct call for volumes of the storage nodes it runs itself,
 * the internal HTTP data path for every other node's.
 *
 * @param local  the storage nodes of this process; null when it runs none
 * @param remote the other nodes' volumes
 */
public record RoutingVolumeDataPath(LocalDataPath local, VolumeDataPath remote) implements VolumeDataPath {

    @Override
    public long read(VolumeRef volume, long offset, long length, OutputStream out) throws IOException {
        return route(volume).read(volume, offset, length, out);
    }

    @Override
    public void write(VolumeRef volume, long offset, long length, InputStream in) throws IOException {
        route(volume).write(volume, offset, length, in);
    }

    @Override
    public Optional<Path> plainFile(VolumeRef volume) throws IOException {
        return route(volume).plainFile(volume);
    }

    private VolumeDataPath route(VolumeRef volume) {
        return local != null && local.serves(volume.node()) ? local : remote;
    }
}
