package io.elasticcloud.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;

/**
 * The benchmark's data, prepared before anything is timed: {@link #CHUNKS} chunks of 4 MiB (1 GiB),
 * each gzipped on its own (default level, as gzip(1) and the ElasticHosts tools do) and kept in
 * memory for the API's uploads, and written once, concatenated, to one file for the baselines
 * (concatenated gzip members are one valid gzip stream, so {@code gunzip} of that file is
 * {@code cat chunk*.gz | gunzip}).
 *
 * <p>The content is like a disk image: each chunk is made of 64 KiB blocks, each block at random
 * (deterministic seed) zeros (35%: unused space), text-like bytes (40%: words from a skewed
 * vocabulary, which gzip compresses about 3-4x) or random bytes (25%: compressed or encrypted
 * files, which gzip cannot compress).
 */
final class DataSet {
    static final int CHUNK = 4 * 1024 * 1024;
    static final int CHUNKS = 256;
    static final long SIZE = (long) CHUNK * CHUNKS;
    private static final int BLOCK = 64 * 1024;

    private final byte[][] gzipped;
    private final long[] crc32c;
    private final Path concatenated;
    private final long gzippedBytes;
    private final long[] blockKinds = new long[3];

    private DataSet(byte[][] gzipped, long[] crc32c, Path concatenated, long[] kinds) {
        this.gzipped = gzipped;
        this.crc32c = crc32c;
        this.concatenated = concatenated;
        long total = 0;
        for (byte[] g : gzipped) {
            total += g.length;
        }
        this.gzippedBytes = total;
        System.arraycopy(kinds, 0, blockKinds, 0, 3);
    }

    static DataSet prepare(long seed, Path file) {
        byte[][] gz = new byte[CHUNKS][];
        long[] crc = new long[CHUNKS];
        long[][] kinds = new long[CHUNKS][3];
        byte[][] vocabulary = vocabulary(seed);
        IntStream.range(0, CHUNKS).parallel().forEach(i -> {
            byte[] raw = chunk(seed, i, vocabulary, kinds[i]);
            CRC32C c = new CRC32C();
            c.update(raw);
            crc[i] = c.getValue();
            gz[i] = gzip(raw);
        });
        try (OutputStream out = Files.newOutputStream(file)) {
            for (byte[] g : gz) {
                out.write(g);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long[] k = new long[3];
        for (long[] ki : kinds) {
            for (int j = 0; j < 3; j++) {
                k[j] += ki[j];
            }
        }
        return new DataSet(gz, crc, file, k);
    }

    byte[] gzipped(int chunk) {
        return gzipped[chunk];
    }

    long crc32c(int chunk) {
        return crc32c[chunk];
    }

    /** All chunks' gzip members, one after the other: one gzip stream of the whole GiB. */
    Path concatenated() {
        return concatenated;
    }

    long gzippedBytes() {
        return gzippedBytes;
    }

    String describe() {
        long blocks = blockKinds[0] + blockKinds[1] + blockKinds[2];
        return String.format("1 GiB in %d chunks of 4 MiB: %d%% zero, %d%% text-like, %d%% random 64 KiB blocks; "
                        + "gzipped %.1f MiB (%.1f%%)", CHUNKS,
                Math.round(100.0 * blockKinds[0] / blocks), Math.round(100.0 * blockKinds[1] / blocks),
                Math.round(100.0 * blockKinds[2] / blocks), gzippedBytes / 1048576.0, 100.0 * gzippedBytes / SIZE);
    }

    private static byte[] chunk(long seed, int index, byte[][] vocabulary, long[] kinds) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
        byte[] b = new byte[CHUNK];
        for (int at = 0; at < CHUNK; at += BLOCK) {
            double kind = r.nextDouble();
            if (kind < 0.35) {
                kinds[0]++; // zeros: the array is zero already
            } else if (kind < 0.75) {
                kinds[1]++;
                text(r, vocabulary, b, at, BLOCK);
            } else {
                kinds[2]++;
                for (int i = at; i < at + BLOCK; i += 8) {
                    long v = r.nextLong();
                    for (int j = 0; j < 8; j++) {
                        b[i + j] = (byte) (v >>> (8 * j));
                    }
                }
            }
        }
        return b;
    }

    /** Words from the vocabulary, the first ones far more often (squared uniform index), in lines. */
    private static void text(SplittableRandom r, byte[][] vocabulary, byte[] b, int from, int length) {
        int end = from + length;
        int i = from;
        int column = 0;
        while (i < end) {
            double u = r.nextDouble();
            byte[] word = vocabulary[(int) (u * u * vocabulary.length)];
            for (int j = 0; j < word.length && i < end; j++) {
                b[i++] = word[j];
            }
            column += word.length + 1;
            if (i < end) {
                b[i++] = (byte) (column > 72 ? '\n' : (r.nextInt(12) == 0 ? '=' : ' '));
                if (column > 72) {
                    column = 0;
                }
            }
        }
    }

    private static byte[][] vocabulary(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[][] words = new byte[4096][];
        for (int w = 0; w < words.length; w++) {
            int len = 2 + r.nextInt(10);
            byte[] word = new byte[len];
            for (int j = 0; j < len; j++) {
                int c = r.nextInt(40);
                word[j] = (byte) (c < 26 ? 'a' + c : c < 36 ? '0' + (c - 26) : c == 36 ? '_' : c == 37 ? '/' : c == 38 ? '.' : '-');
            }
            words[w] = word;
        }
        return words;
    }

    private static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
