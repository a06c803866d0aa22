package io.elasticcloud.storage.volume;

import java.io.Closeable;
import java.io.IOException;

/** One open volume: bytes at offsets. Not thread-safe; open one handle per user. */
public interface VolumeHandle extends Closeable {

    /** The volume's size when it was opened. */
    long size();

    /** Reads up to {@code len} bytes at {@code offset}: fewer at the end, none at or past it. */
    int read(long offset, byte[] dst, int off, int len) throws IOException;

    /**
     * Reads {@code len} bytes at {@code offset}, as many reads as it takes: fewer only at the end
     * of the volume. Answers how many were read.
     */
    default int readFully(long offset, byte[] dst, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = read(offset + done, dst, off + done, len - done);
            if (n <= 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    /**
     * Writes {@code len} bytes at {@code offset}.
     *
     * @throws io.elasticcloud.protocol.ElasticException {@code full} when the range passes the
     *                                                   end of the volume; nothing is written then
     */
    void write(long offset, byte[] src, int off, int len) throws IOException;

    /** Makes everything written so far durable. */
    void force() throws IOException;

    @Override
    void close() throws IOException;
}
