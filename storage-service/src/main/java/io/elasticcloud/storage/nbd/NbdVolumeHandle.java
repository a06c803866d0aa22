package io.elasticcloud.storage.nbd;

import io.elasticcloud.storage.volume.VolumeHandle;
import io.elasticcloud.storage.volume.VolumeNames;
import java.io.IOException;
import java.time.Duration;

/**
 * A volume on another machine, read and written through one NBD connection (the storage host
 * exports its opened dm-crypt device with qemu-storage-daemon). The volume's logical size may be
 * smaller than the export (a device rounded up to extents): reads end at the logical size and a
 * write past it is {@code full} and writes nothing, as with a local raw file.
 */
public final class NbdVolumeHandle implements VolumeHandle {
    private final NbdClient client;
    private final long size;

    /**
     * Takes over {@code client} (closing the handle closes it).
     *
     * @throws IllegalArgumentException when {@code size} is negative or larger than the export
     */
    public NbdVolumeHandle(NbdClient client, long size) {
        if (size < 0 || size > client.export().size()) {
            throw new IllegalArgumentException("volume of " + size + " bytes does not fit NBD export " + client.target()
                    + " of " + client.export().size() + " bytes");
        }
        this.client = client;
        this.size = size;
    }

    /** Connects to {@code target} and opens the volume of {@code size} bytes on it. */
    public static NbdVolumeHandle open(NbdTarget target, long size, Duration connectTimeout, Duration readTimeout)
            throws IOException {
        NbdClient client = new NbdClient(target, connectTimeout, readTimeout);
        try {
            return new NbdVolumeHandle(client, size);
        } catch (IllegalArgumentException e) {
            client.close();
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long offset, byte[] dst, int off, int len) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        if (offset >= size || len <= 0) {
            return 0;
        }
        int n = (int) Math.min(len, size - offset);
        client.read(offset, dst, off, n);
        return n;
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) throws IOException {
        VolumeNames.checkRange(offset, len, size);
        client.write(offset, src, off, len);
    }

    @Override
    public void force() throws IOException {
        client.flush();
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
