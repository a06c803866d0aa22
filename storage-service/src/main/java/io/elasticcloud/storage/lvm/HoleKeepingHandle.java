package io.elasticcloud.storage.lvm;

import io.elasticcloud.storage.volume.VolumeHandle;
import io.elasticcloud.storage.volume.VolumeNames;
import java.io.IOException;
import java.util.Arrays;

/**
 * An encrypted volume read through its opened dm-crypt device, where a hole reads as zeros.
 *
 * <p>dm-crypt decrypts whatever lies under it: a thin LV's unwritten blocks are zeros underneath,
 * which decrypt to noise. A drive must read as zeros where nothing was written (a new drive, the
 * CLI's upload skipping zero chunks, a grown tail), as the file volumes do. So a read looks at the
 * ciphertext first: a 512-byte sector that is all zeros there was never written (a written sector's
 * ciphertext is zeros with probability 2^-4096) and reads as zeros; the others are read through
 * the dm-crypt device, which does the crypto. A range with no written sector costs one read of
 * zeros the thin pool makes up without touching a disk.
 *
 * <p>Writes keep holes too: a write covering part of a sector is widened to the whole sector,
 * filled with what the sector reads as (zeros for a hole), so that the kernel never writes back
 * the noise of a hole's other bytes.
 *
 * <p>The LV under the device is opened at the first read outside the known ranges: a read or write
 * of ranges known to hold no hole (the common case once a volume is written) costs one connection,
 * not two.
 */
final class HoleKeepingHandle implements VolumeHandle {
    private static final int SECTOR = 512;

    /** Opens the LV under the dm-crypt device (LUKS header, then the payload). */
    @FunctionalInterface
    interface CipherSide {
        VolumeHandle open() throws IOException;
    }

    private final VolumeHandle plain;
    private final CipherSide cipherSide;
    private VolumeHandle cipher;
    private final long payloadOffset;
    private final long size;
    private final WrittenRanges known;
    /** Ranges written by this handle and not yet flushed: known only once {@link #force} succeeds. */
    private final WrittenRanges unflushed = new WrittenRanges();

    /**
     * @param plain         the dm-crypt device, at least the volume's size rounded up to sectors
     * @param cipherSide    opens the LV under it, once, when first needed
     * @param payloadOffset where the payload starts in the LV
     * @param size          the volume's size
     * @param known         the volume's ranges known to hold no hole, shared by its handles
     */
    HoleKeepingHandle(VolumeHandle plain, CipherSide cipherSide, long payloadOffset, long size, WrittenRanges known) {
        this.plain = plain;
        this.cipherSide = cipherSide;
        this.payloadOffset = payloadOffset;
        this.size = size;
        this.known = known;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(long offset, byte[] dst, int off, int len) throws IOException {
        if (offset >= size() || len <= 0) {
            return 0;
        }
        int n = (int) Math.min(len, size() - offset);
        long first = offset / SECTOR * SECTOR;
        long end = (offset + n + SECTOR - 1) / SECTOR * SECTOR;
        if (known.covers(first, end)) {
            return plain.readFully(offset, dst, off, n);
        }
        byte[] sealed = new byte[(int) (end - first)];
        readFully(cipher(), payloadOffset + first, sealed);
        boolean[] hole = new boolean[sealed.length / SECTOR];
        boolean anyWritten = false;
        boolean anyHole = false;
        for (int s = 0; s < hole.length; s++) {
            hole[s] = isZero(sealed, s * SECTOR);
            anyWritten |= !hole[s];
            anyHole |= hole[s];
        }
        if (!anyHole) {
            known.add(first, end);
        }
        if (!anyWritten) {
            Arrays.fill(dst, off, off + n, (byte) 0);
            return n;
        }
        int got = plain.readFully(offset, dst, off, n);
        for (int s = 0; s < hole.length; s++) {
            if (hole[s]) {
                long from = Math.max(offset, first + (long) s * SECTOR);
                long to = Math.min(offset + got, first + (long) (s + 1) * SECTOR);
                if (from < to) {
                    Arrays.fill(dst, off + (int) (from - offset), off + (int) (to - offset), (byte) 0);
                }
            }
        }
        return got;
    }

    private VolumeHandle cipher() throws IOException {
        if (cipher == null) {
            cipher = cipherSide.open();
        }
        return cipher;
    }

    private static boolean isZero(byte[] bytes, int from) {
        for (int i = from; i < from + SECTOR; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static void readFully(VolumeHandle handle, long offset, byte[] dst) throws IOException {
        int got = handle.readFully(offset, dst, 0, dst.length);
        Arrays.fill(dst, got, dst.length, (byte) 0);
    }

    @Override
    public void write(long offset, byte[] src, int off, int len) throws IOException {
        VolumeNames.checkRange(offset, len, size);
        long first = offset / SECTOR * SECTOR;
        long end = (offset + len + SECTOR - 1) / SECTOR * SECTOR;
        if (first == offset && end == offset + len) {
            plain.write(offset, src, off, len);
            unflushed.add(first, end);
            return;
        }
        byte[] whole = new byte[(int) (end - first)];
        read(first, whole, 0, SECTOR);
        if (end - SECTOR > first) {
            read(end - SECTOR, whole, whole.length - SECTOR, SECTOR);
        }
        System.arraycopy(src, off, whole, (int) (offset - first), len);
        plain.write(first, whole, 0, whole.length);
        unflushed.add(first, end);
    }

    @Override
    public void force() throws IOException {
        plain.force();
        unflushed.drainInto(known);
    }

    @Override
    public void close() throws IOException {
        try {
            plain.close();
        } finally {
            if (cipher != null) {
                cipher.close();
            }
        }
    }
}
