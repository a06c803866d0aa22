package io.elasticcloud.storage.luks;

import java.security.DigestException;
import java.security.MessageDigest;

/**
 * The anti-forensic merge of the LUKS1 specification: a key slot stores the master key
 * inflated to {@code stripes} blocks, so that destroying any part of the slot destroys the key.
 */
final class AfSplitter {
    private AfSplitter() {
    }

    static byte[] merge(byte[] material, int blockSize, int stripes, LuksHash hash) {
        if ((long) blockSize * stripes > material.length) {
            throw new LuksFormatException("key material shorter than its stripes");
        }
        MessageDigest digest = hash.newDigest();
        byte[] d = new byte[blockSize];
        for (int i = 0; i < stripes - 1; i++) {
            xor(d, material, i * blockSize);
            diffuse(d, digest);
        }
        xor(d, material, (stripes - 1) * blockSize);
        return d;
    }

    /** Hashes each digest-sized piece, prefixed by its big-endian index; a short tail is truncated. */
    private static void diffuse(byte[] d, MessageDigest digest) {
        int ds = digest.getDigestLength();
        byte[] out = new byte[ds];
        for (int i = 0, pos = 0; pos < d.length; i++, pos += ds) {
            int n = Math.min(ds, d.length - pos);
            digest.update(new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            digest.update(d, pos, n);
            try {
                digest.digest(out, 0, ds);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
            System.arraycopy(out, 0, d, pos, n);
        }
    }

    private static void xor(byte[] d, byte[] src, int off) {
        for (int i = 0; i < d.length; i++) {
            d[i] ^= src[off + i];
        }
    }
}
