package io.elasticcloud.storage.luks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-XTS with plain64 IVs over 512-byte sectors, as qemu and dm-crypt use it for LUKS.
 *
 * <p>The JDK has no XTS mode, so it is built on {@code AES/ECB/NoPadding}: for a batch of
 * sectors all tweaks are computed first (one ECB call for the sectors' initial tweaks, then the
 * GF(2^128) doublings in plain long arithmetic), so the data itself goes through AES in one large
 * ECB call per batch, where the JDK's AES intrinsics run at full speed. Not thread-safe: one
 * instance per user.
 */
public final class XtsAes {
    public static final int SECTOR_SIZE = 512;
    private static final int BLOCK = 16;
    private static final int BATCH = 64 * 1024;
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Cipher dataEncrypt;
    private final Cipher dataDecrypt;
    private final Cipher tweakEncrypt;
    private final byte[] tweaks = new byte[BATCH];
    private final byte[] scratch = new byte[BATCH];
    private final byte[] initialTweaks = new byte[BATCH / SECTOR_SIZE * BLOCK];
    private final byte[] encryptedTweaks = new byte[BATCH / SECTOR_SIZE * BLOCK];

    /** @param key the XTS key: the data key followed by the tweak key (32 or 64 bytes) */
    public XtsAes(byte[] key) {
        if (key.length != 32 && key.length != 64) {
            throw new IllegalArgumentException("XTS-AES needs a 32 or 64 byte key, not " + key.length);
        }
        int half = key.length / 2;
        SecretKeySpec dataKey = new SecretKeySpec(Arrays.copyOfRange(key, 0, half), "AES");
        SecretKeySpec tweakKey = new SecretKeySpec(Arrays.copyOfRange(key, half, key.length), "AES");
        try {
            dataEncrypt = Cipher.getInstance("AES/ECB/NoPadding");
            dataEncrypt.init(Cipher.ENCRYPT_MODE, dataKey);
            dataDecrypt = Cipher.getInstance("AES/ECB/NoPadding");
            dataDecrypt.init(Cipher.DECRYPT_MODE, dataKey);
            tweakEncrypt = Cipher.getInstance("AES/ECB/NoPadding");
            tweakEncrypt.init(Cipher.ENCRYPT_MODE, tweakKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available in this JVM", e);
        }
    }

    /** Encrypts whole sectors in place; {@code firstSector} is the plain64 IV of the first. */
    public void encrypt(byte[] buf, int off, int len, long firstSector) {
        process(buf, off, len, firstSector, dataEncrypt);
    }

    /** Decrypts whole sectors in place; {@code firstSector} is the plain64 IV of the first. */
    public void decrypt(byte[] buf, int off, int len, long firstSector) {
        process(buf, off, len, firstSector, dataDecrypt);
    }

    /**
     * Decrypts whole sectors in place, except sectors whose ciphertext is all zero bytes: those
     * are left as zeros. Such a sector was never written (a hole of the sparse file, or the zeros
     * of a file just extended); a real ciphertext is all zero with probability 2^-4096. qemu
     * itself would decrypt such a sector into noise; we show a fresh volume as zeros, which is
     * what a customer reading a new drive through the API expects.
     */
    public void decryptKeepingHoles(byte[] buf, int off, int len, long firstSector) {
        checkSectors(len);
        int sectors = len / SECTOR_SIZE;
        int runStart = -1;
        for (int s = 0; s <= sectors; s++) {
            boolean data = s < sectors && !isZeroSector(buf, off + s * SECTOR_SIZE);
            if (data && runStart < 0) {
                runStart = s;
            } else if (!data && runStart >= 0) {
                decrypt(buf, off + runStart * SECTOR_SIZE, (s - runStart) * SECTOR_SIZE, firstSector + runStart);
                runStart = -1;
            }
        }
    }

    static boolean isZeroSector(byte[] buf, int off) {
        for (int i = 0; i < SECTOR_SIZE; i += 8) {
            if ((long) LONGS.get(buf, off + i) != 0L) {
                return false;
            }
        }
        return true;
    }

    private void process(byte[] buf, int off, int len, long firstSector, Cipher data) {
        checkSectors(len);
        for (int done = 0; done < len; done += BATCH) {
            int n = Math.min(BATCH, len - done);
            batch(buf, off + done, n, firstSector + done / SECTOR_SIZE, data);
        }
    }

    private void batch(byte[] buf, int off, int n, long firstSector, Cipher data) {
        int sectors = n / SECTOR_SIZE;
        for (int s = 0; s < sectors; s++) {
            LONGS.set(initialTweaks, s * BLOCK, firstSector + s);
            LONGS.set(initialTweaks, s * BLOCK + 8, 0L);
        }
        try {
            tweakEncrypt.update(initialTweaks, 0, sectors * BLOCK, encryptedTweaks, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES failed", e);
        }
        for (int s = 0; s < sectors; s++) {
            long lo = (long) LONGS.get(encryptedTweaks, s * BLOCK);
            long hi = (long) LONGS.get(encryptedTweaks, s * BLOCK + 8);
            int base = s * SECTOR_SIZE;
            for (int b = 0; b < SECTOR_SIZE; b += BLOCK) {
                LONGS.set(tweaks, base + b, lo);
                LONGS.set(tweaks, base + b + 8, hi);
                // multiply by the primitive element alpha of GF(2^128), little-endian (IEEE P1619)
                long carry = (hi >> 63) & 0x87L;
                hi = (hi << 1) | (lo >>> 63);
                lo = (lo << 1) ^ carry;
            }
        }
        for (int i = 0; i < n; i += 8) {
            LONGS.set(scratch, i, (long) LONGS.get(buf, off + i) ^ (long) LONGS.get(tweaks, i));
        }
        try {
            data.update(scratch, 0, n, buf, off);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES failed", e);
        }
        for (int i = 0; i < n; i += 8) {
            LONGS.set(buf, off + i, (long) LONGS.get(buf, off + i) ^ (long) LONGS.get(tweaks, i));
        }
    }

    private static void checkSectors(int len) {
        if (len % SECTOR_SIZE != 0) {
            throw new IllegalArgumentException("not a whole number of sectors: " + len);
        }
    }
}
