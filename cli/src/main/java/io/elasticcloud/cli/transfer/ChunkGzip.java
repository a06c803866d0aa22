package io.elasticcloud.cli.transfer;

import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One chunk as a complete gzip stream (RFC 1952), for a drive write with
 * {@code Content-Encoding: gzip}. Compression adapts to the data: a sample of the chunk is
 * deflated first, and data that does not compress (random, already compressed, encrypted) is
 * sent in stored deflate blocks instead of spending the CPU on it; the stream is valid gzip
 * either way. One instance per thread (it keeps its Deflaters).
 */
public final class ChunkGzip {
    static final int SAMPLE = 64 * 1024;
    /** A sample that deflates to more than this fraction of itself is "incompressible". */
    static final double INCOMPRESSIBLE = 0.92;

    private final Deflater fast = new Deflater(Deflater.BEST_SPEED, true);
    private final Deflater stored = new Deflater(Deflater.NO_COMPRESSION, true);
    private final Deflater sampler = new Deflater(Deflater.BEST_SPEED, true);
    private final byte[] sampleOut = new byte[SAMPLE + 1024];
    private final CRC32 crc = new CRC32();

    /** The gzipped chunk, and the CRC-32 of its uncompressed bytes (the gzip trailer's). */
    public record Result(byte[] gzip, int length, long crc32) {
    }

    public Result gzip(byte[] data, int from, int length) {
        crc.reset();
        crc.update(data, from, length);
        Deflater d = compresses(data, from, length) ? fast : stored;
        d.reset();
        d.setInput(data, from, length);
        d.finish();
        // stored blocks add 5 bytes per 64 KiB; deflate never grows data by more than that either
        byte[] out = new byte[10 + length + (length / 16384 + 1) * 5 + 64 + 8];
        header(out);
        int pos = 10;
        while (!d.finished()) {
            if (pos == out.length - 8) {
                out = java.util.Arrays.copyOf(out, out.length * 2);
            }
            pos += d.deflate(out, pos, out.length - 8 - pos);
        }
        long c = crc.getValue();
        writeIntLe(out, pos, (int) c);
        writeIntLe(out, pos + 4, length);
        return new Result(out, pos + 8, c);
    }

    boolean compresses(byte[] data, int from, int length) {
        int n = Math.min(SAMPLE, length);
        if (n < 512) {
            return true;
        }
        // the sample from the middle of the chunk: file system headers at the start are misleading
        int start = from + (length - n) / 2;
        sampler.reset();
        sampler.setInput(data, start, n);
        sampler.finish();
        int out = 0;
        while (!sampler.finished() && out < sampleOut.length) {
            out += sampler.deflate(sampleOut, out, sampleOut.length - out);
        }
        return out < n * INCOMPRESSIBLE;
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
        fast.end();
        stored.end();
        sampler.end();
    }
}
