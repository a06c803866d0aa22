package io.elasticcloud.cli.transfer;

import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One chunk as a complete gzip stream (RFC 1952), for a drive write with
 * {@code Content-Encoding: gzip}. Compression adapts to the data, segment by segment
 * ({@link #SEGMENT} bytes): a segment whose sample looks random (high byte entropy: random,
 * already compressed, encrypted data) goes in stored deflate blocks, the others are deflated
 * (level 1); one deflate stream switches between the two as it goes, so a chunk that is half
 * random and half text costs the CPU of its text only. The stream is valid gzip either way. One
 * instance per thread (it keeps its Deflater).
 */
public final class ChunkGzip {
    static final int SEGMENT = 256 * 1024;
    static final int SAMPLE = 4096;
    /** Bits per byte above which a sample is taken for incompressible (random data: about 7.95 in 4 KiB). */
    static final double INCOMPRESSIBLE_BITS = 7.2;

    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
    private final CRC32 crc = new CRC32();
    private final int[] counts = new int[256];

    /** The gzipped chunk, and the CRC-32 of its uncompressed bytes (the gzip trailer's). */
    public record Result(byte[] gzip, int length, long crc32) {
    }

    public Result gzip(byte[] data, int from, int length) {
        crc.reset();
        crc.update(data, from, length);
        Deflater d = deflater;
        d.reset();
        // stored blocks add 5 bytes per 64 KiB; deflate never grows data by more than that either
        byte[] out = new byte[10 + length + (length / 16384 + 1) * 5 + 64 + 8];
        header(out);
        int pos = 10;
        int level = -2;
        for (int at = from, end = from + length; at < end || !d.finished(); ) {
            if (at < end && d.needsInput()) {
                int n = Math.min(SEGMENT, end - at);
                int want = compresses(data, at, n) ? Deflater.BEST_SPEED : Deflater.NO_COMPRESSION;
                if (want != level) {
                    d.setLevel(want); // applied by the next deflate call, after what came before
                    level = want;
                }
                d.setInput(data, at, n);
                at += n;
                if (at == end) {
                    d.finish();
                }
            } else if (at == end && length == 0) {
                d.finish();
            }
            if (pos >= out.length - 8 - 64) {
                out = java.util.Arrays.copyOf(out, out.length * 2);
            }
            pos += d.deflate(out, pos, out.length - 8 - pos);
            if (at == end && d.finished()) {
                break;
            }
        }
        long c = crc.getValue();
        writeIntLe(out, pos, (int) c);
        writeIntLe(out, pos + 4, length);
        return new Result(out, pos + 8, c);
    }

    /** Whether the segment {@code data[from..from+length)} looks worth deflating: the byte entropy of a sample from its middle. */
    boolean compresses(byte[] data, int from, int length) {
        int n = Math.min(SAMPLE, length);
        if (n < 512) {
            return true;
        }
        int start = from + (length - n) / 2;
        java.util.Arrays.fill(counts, 0);
        for (int i = start; i < start + n; i++) {
            counts[data[i] & 0xff]++;
        }
        double bits = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / n;
                bits -= p * Math.log(p);
            }
        }
        return bits / Math.log(2) < INCOMPRESSIBLE_BITS;
    }

    private static void header(byte[] out) {
        out[0] = 0x1f;
        out[1] = (byte) 0x8b;
        out[2] = 8; // deflate
        out[3] = 0; // no flags
        // mtime 0, xfl 0
        out[9] = (byte) 255; // OS unknown
    }

    private static void writeIntLe(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    public void close() {
        deflater.end();
    }
}
