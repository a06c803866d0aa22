package io.elasticcloud.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Test data: reproducible bytes, and gzip both ways. */
public final class TestBytes {
    private TestBytes() {
    }

    /** Incompressible bytes from a seed (so a failure can be reproduced). */
    public static byte[] random(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Compressible but not trivial bytes: text lines with a counter, like a file system image. */
    public static byte[] patterned(int length) {
        byte[] b = new byte[length];
        int i = 0;
        for (int line = 0; i < length; line++) {
            byte[] text = ("block " + line + " of a standard drive image\n").getBytes();
            for (int j = 0; j < text.length && i < length; j++) {
                b[i++] = text[j];
            }
        }
        return b;
    }

    public static byte[] gzip(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code length} bytes a gzip stream decompresses to, from a prefix of that stream. */
    public static byte[] gunzipPrefix(byte[] gzPrefix, int length) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzPrefix))) {
            return in.readNBytes(length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
