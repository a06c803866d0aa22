package io.elasticcloud.storage.volume;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A plain sparse raw file, or a block device: offsets in the volume are offsets in the file.
 */
public final class RawVolumeHandle implements VolumeHandle {
    private final FileChannel file;
    private final long size;

    RawVolumeHandle(FileChannel file) throws IOException {
        this(file, file.size());
    }

    /** The first {@code size} bytes of {@code file} (a block device, whose channel has no size). */
    public RawVolumeHandle(FileChannel file, long size) {
        this.file = file;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long offset, byte[] dst, int off, int len) throws IOException {
        if (offset >= size || len <= 0) {
            return 0;
        }
        int total = (int) Math.min(len, size - offset);
        ByteBuffer buf = ByteBuffer.wrap(dst, off, total);
        while (buf.hasRemaining()) {
            if (file.read(buf, offset + buf.position() - off) < 0) {
                break;
            }
        }
        return buf.position() - off;
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) throws IOException {
        VolumeNames.checkRange(offset, len, size);
        ByteBuffer buf = ByteBuffer.wrap(src, off, len);
        while (buf.hasRemaining()) {
            file.write(buf, offset + buf.position() - off);
        }
    }

    @Override
    public void force() throws IOException {
        file.force(false);
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
