package io.elasticcloud.api.support;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.storage.volume.InMemoryVolumeBackend;
import io.elasticcloud.storage.volume.VolumeBackend;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An {@link InMemoryVolumeBackend} whose volumes a guest attaches by path: {@code
 * /fake/NODE/VOLUME.raw}, with a passphrase for an encrypted one. The in-memory backend has no file
 * to hand a guest, and the API's tests run guests on fake hypervisors, which never open one; every
 * other call is the in-memory backend's own.
 */
final class PathAttachedBackend implements VolumeBackend {
    private static final String PASSPHRASE = "in-memory-volume-passphrase";

    private final String node;
    private final VolumeBackend volumes = new InMemoryVolumeBackend();

    PathAttachedBackend(String node) {
        this.node = node;
    }

    @Override
    public VolumeAttachment attachment(String volume) throws IOException {
        VolumeInfo info = volumes.describe(volume).orElseThrow(() -> ElasticException.missing("no volume %s", volume));
        return new VolumeAttachment(volume, "/fake/" + node + "/" + volume + ".raw", info.cipher(),
                info.cipher() == Cipher.NONE ? null : PASSPHRASE);
    }

    @Override
    public VolumeInfo create(String volume, long size, Cipher cipher, InputStream content) throws IOException {
        return volumes.create(volume, size, cipher, content);
    }

    @Override
    public Optional<VolumeInfo> describe(String volume) throws IOException {
        return volumes.describe(volume);
    }

    @Override
    public List<VolumeInfo> list() throws IOException {
        return volumes.list();
    }

    @Override
    public long totalSize() throws IOException {
        return volumes.totalSize();
    }

    @Override
    public Space space() throws IOException {
        return volumes.space();
    }

    @Override
    public long footprint(long size, Cipher cipher) {
        return volumes.footprint(size, cipher);
    }

    @Override
    public long usableSpace() throws IOException {
        return volumes.usableSpace();
    }

    @Override
    public VolumeInfo grow(String volume, long size) throws IOException {
        return volumes.grow(volume, size);
    }

    @Override
    public boolean destroy(String volume) throws IOException {
        return volumes.destroy(volume);
    }

    @Override
    public VolumeHandle open(String volume) throws IOException {
        return volumes.open(volume);
    }

    @Override
    public Optional<Path> plainFile(String volume) throws IOException {
        return volumes.plainFile(volume);
    }

    @Override
    public void close() {
        volumes.close();
    }
}
