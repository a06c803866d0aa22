package io.elasticcloud.storage.imaging;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes sequentially into the target volume from offset 0 through one fixed buffer. Data that
 * passes the end is cut at the end, written up to it, and then refused with {@code full}: the
 * target keeps what fitted. After that (or after {@link #abandon}) writes are dropped, so a
 * compressor can still be closed to free its native memory.
 */
final class TargetOutputStream extends OutputStream {
    private final VolumeHandle target;
    private final String name;
    private final byte[] buf;
    private int count;
    private long position;
    private boolean abandoned;

    TargetOutputStream(VolumeHandle target, String name, int bufferSize) {
        this.target = target;
        this.name = name;
        this.buf = new byte[bufferSize];
    }

    long written() {
        return position;
    }

    void abandon() {
        abandoned = true;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0 && !abandoned) {
            if (count == 0 && len >= buf.length) {
                writeThrough(b, off, buf.length);
                off += buf.length;
                len -= buf.length;
                continue;
            }
            int n = Math.min(len, buf.length - count);
            System.arraycopy(b, off, buf, count, n);
            count += n;
            off += n;
            len -= n;
            if (count == buf.length) {
                flush();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        if (count > 0 && !abandoned) {
            int n = count;
            count = 0;
            writeThrough(buf, 0, n);
        }
    }

    private void writeThrough(byte[] b, int off, int len) throws IOException {
        long room = target.size() - position;
        if (len > room) {
            if (room > 0) {
                target.write(position, b, off, (int) room);
                position += room;
            }
            abandoned = true;
            throw ElasticException.full("the data does not fit drive %s (%d bytes); imaging stopped at its end",
                    name, target.size());
        }
        target.write(position, b, off, len);
        position += len;
    }

    /** Flushes unless abandoned; never closes the target, which belongs to the job. */
    @Override
    public void close() throws IOException {
        flush();
    }
}
