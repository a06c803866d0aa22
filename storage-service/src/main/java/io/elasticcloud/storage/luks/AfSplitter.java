package io.elasticcloud.storage.luks;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The anti-forensic split and merge of the LUKS1 specification: a key slot stores the master
 * key inflated to {@code stripes} blocks, so that destroying any part of the slot destroys the
 * key. All blocks but the last are random; the last is the key XOR the diffused XOR-chain of the
 * others (qemu's crypto/afsplit.c, cryptsetup's lib/luks1/af.c).
 */
final class AfSplitter {
    private AfSplitter() {
    }

    /** Splits {@code key} into {@code key.length * stripes} bytes, the random blocks from {@code random}. */
    static byte[] split(byte[] key, int stripes, LuksHash hash, SecureRandom random) {
        int blockSize = key.length;
        byte[] material = new byte[blockSize * stripes];
        random.nextBytes(material);
        byte[] d = chain(material, blockSize, stripes, hash);
        int last = (stripes - 1) * blockSize;
        for (int i = 0; i < blockSize; i++) {
            material[last + i] = (byte) (d[i] ^ key[i]);
        }
        Arrays.fill(d, (byte) 0);
        return material;
    }

    static byte[] merge(byte[] material, int blockSize, int stripes, LuksHash hash) {
        if ((long) blockSize * stripes > material.length) {
            throw new LuksFormatException("key material shorter than its stripes");
        }
        byte[] d = chain(material, blockSize, stripes, hash);
        xor(d, material, (stripes - 1) * blockSize);
        return d;
    }

    /** XORs and diffuses the first {@code stripes - 1} blocks in turn, starting from zeros. */
    private static byte[] chain(byte[] material, int blockSize, int stripes, LuksHash hash) {
        MessageDigest digest = hash.newDigest();
        byte[] d = new byte[blockSize];
        for (int i = 0; i < stripes - 1; i++) {
            xor(d, material, i * blockSize);
            diffuse(d, digest);
        }
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
