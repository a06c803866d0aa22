package io.elasticcloud.storage.volume;

import io.elasticcloud.storage.luks.LuksPayload;
import java.io.IOException;
import java.nio.channels.FileChannel;

/** A qemu LUKS1 volume, read and written in plaintext through {@link LuksPayload}. */
final class LuksVolumeHandle implements VolumeHandle {
    private final FileChannel file;
    private final LuksPayload payload;

    LuksVolumeHandle(FileChannel file, LuksPayload payload) {
        this.file = file;
        this.payload = payload;
    }

    @Override
    public long size() {
        return payload.size();
    }

    @Override
    public int read(long offset, byte[] dst, int off, int len) throws IOException {
        return payload.read(offset, dst, off, len);
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) throws IOException {
        VolumeNames.checkRange(offset, len, payload.size());
        payload.write(offset, src, off, len);
    }

    @Override
    public void force() throws IOException {
        payload.force();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
