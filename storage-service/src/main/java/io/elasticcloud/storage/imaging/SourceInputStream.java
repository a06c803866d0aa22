package io.elasticcloud.storage.imaging;

import io.elasticcloud.protocol.storage.VolumeDataPath;
import io.elasticcloud.protocol.storage.VolumeRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * The first {@code length} bytes of a source volume, fetched through the data path one fixed
 * buffer at a time (the source may live on another node). Ends early if the source does.
 * Reports every byte handed out to {@code consumed}, for progress.
 */
final class SourceInputStream extends InputStream {
    private final VolumeDataPath dataPath;
    private final VolumeRef source;
    private final long length;
    private final LongConsumer consumed;
    private final byte[] buf;
    private int bufPos;
    private int bufLen;
    private long fetched;
    private long delivered;
    private boolean ended;

    SourceInputStream(VolumeDataPath dataPath, VolumeRef source, long length, int bufferSize, LongConsumer consumed) {
        this.dataPath = dataPath;
        this.source = source;
        this.length = length;
        this.consumed = consumed;
        this.buf = new byte[bufferSize];
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (bufPos == bufLen && !fill()) {
            return -1;
        }
        int n = Math.min(len, bufLen - bufPos);
        System.arraycopy(buf, bufPos, b, off, n);
        bufPos += n;
        delivered += n;
        consumed.accept(delivered);
        return n;
    }

    private boolean fill() throws IOException {
        if (ended || fetched >= length) {
            return false;
        }
        int want = (int) Math.min(buf.length, length - fetched);
        FixedBuffer into = new FixedBuffer(buf, want);
        long n = dataPath.read(source, fetched, want, into);
        if (n <= 0) {
            ended = true;
            return false;
        }
        bufPos = 0;
        bufLen = into.count;
        fetched += bufLen;
        return true;
    }

    /** Collects what the data path writes into our buffer, never more than {@code limit}. */
    private static final class FixedBuffer extends OutputStream {
        private final byte[] buf;
        private final int limit;
        int count;

        FixedBuffer(byte[] buf, int limit) {
            this.buf = buf;
            this.limit = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > limit - count) {
                throw new IOException("the data path sent more bytes than asked for");
            }
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }
    }
}
