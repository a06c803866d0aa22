package io.elasticcloud.storage.luks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.concurrent.locks.Lock;

/**
 * Reads and writes the plaintext of a qemu LUKS1 volume's payload through an open file.
 *
 * <p>qemu encrypts the payload in 512-byte sectors whose plain64 IV is the sector number counted
 * from the start of the payload (crypto/block-luks.c, QCRYPTO_BLOCK_LUKS_SECTOR_SIZE), whatever
 * the guest's logical block size. Writes that cover only part of a sector decrypt it, patch it
 * and encrypt it again, under {@code partialSectorLock} so that two writers sharing a sector do
 * not undo each other. Memory is one fixed work buffer, whatever the request's length.
 */
public final class LuksPayload {
    private static final int SECTOR = XtsAes.SECTOR_SIZE;
    private static final int WORK = 1 << 20;

    private final FileChannel file;
    private final long payloadOffset;
    private final long size;
    private final XtsAes cipher;
    private final Lock partialSectorLock;
    private byte[] work;

    /** @param size the volume's usable size; the file holds it rounded up to whole sectors */
    public LuksPayload(FileChannel file, LuksKey key, long size, Lock partialSectorLock) {
        this.file = file;
        this.payloadOffset = key.payloadOffset();
        this.size = size;
        this.cipher = key.newCipher();
        this.partialSectorLock = partialSectorLock;
    }

    /** The file length that holds a payload of {@code size} bytes. */
    public static long fileLength(long payloadOffset, long size) {
        return payloadOffset + roundUp(size);
    }

    public long size() {
        return size;
    }

    /** Reads up to {@code len} bytes at {@code offset}; fewer at the end of the volume. */
    public int read(long offset, byte[] dst, int off, int len) throws IOException {
        if (offset >= size || len <= 0) {
            return 0;
        }
        int total = (int) Math.min(len, size - offset);
        int done = 0;
        while (done < total) {
            long pos = offset + done;
            long sector = pos / SECTOR;
            int head = (int) (pos % SECTOR);
            long filePos = payloadOffset + sector * SECTOR;
            int remaining = total - done;
            if (head == 0 && remaining >= SECTOR) {
                // aligned: decrypt straight into the caller's buffer, no copy
                int n = remaining / SECTOR * SECTOR;
                readFully(dst, off + done, n, filePos);
                cipher.decryptKeepingHoles(dst, off + done, n, sector);
                done += n;
            } else {
                byte[] w = work();
                int n = Math.min(remaining, WORK - head);
                int span = (int) roundUp(head + n);
                readFully(w, 0, span, filePos);
                cipher.decryptKeepingHoles(w, 0, span, sector);
                System.arraycopy(w, head, dst, off + done, n);
                done += n;
            }
        }
        return total;
    }

    /** Writes {@code len} bytes at {@code offset}; the caller has checked that they fit. */
    public void write(long offset, byte[] src, int off, int len) throws IOException {
        if (offset < 0 || offset + len > size) {
            throw new IllegalArgumentException("write past the end of the volume");
        }
        byte[] w = work();
        int done = 0;
        while (done < len) {
            long pos = offset + done;
            long sector = pos / SECTOR;
            int head = (int) (pos % SECTOR);
            int n = Math.min(len - done, WORK - head);
            int span = (int) roundUp(head + n);
            long filePos = payloadOffset + sector * SECTOR;
            boolean partialHead = head != 0;
            boolean partialTail = (head + n) % SECTOR != 0;
            if (partialHead || partialTail) {
                partialSectorLock.lock();
                try {
                    if (partialHead) {
                        readSector(w, 0, filePos, sector);
                    }
                    if (partialTail) {
                        readSector(w, span - SECTOR, filePos + span - SECTOR, sector + (span - SECTOR) / SECTOR);
                    }
                    encryptAndWrite(w, src, off + done, head, n, span, sector, filePos);
                } finally {
                    partialSectorLock.unlock();
                }
            } else {
                encryptAndWrite(w, src, off + done, head, n, span, sector, filePos);
            }
            done += n;
        }
    }

    /** Makes written data durable. */
    public void force() throws IOException {
        file.force(false);
    }

    private void encryptAndWrite(byte[] w, byte[] src, int srcOff, int head, int n, int span, long sector,
                                 long filePos) throws IOException {
        System.arraycopy(src, srcOff, w, head, n);
        cipher.encrypt(w, 0, span, sector);
        ByteBuffer buf = ByteBuffer.wrap(w, 0, span);
        while (buf.hasRemaining()) {
            file.write(buf, filePos + buf.position());
        }
    }

    private void readSector(byte[] w, int off, long filePos, long sector) throws IOException {
        readFully(w, off, SECTOR, filePos);
        cipher.decryptKeepingHoles(w, off, SECTOR, sector);
    }

    /** Reads exactly {@code n} bytes; past the end of the file (never expected) reads zeros, a hole. */
    private void readFully(byte[] dst, int off, int n, long filePos) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(dst, off, n);
        while (buf.hasRemaining()) {
            if (file.read(buf, filePos + buf.position() - off) < 0) {
                Arrays.fill(dst, buf.position(), off + n, (byte) 0);
                return;
            }
        }
    }

    private byte[] work() {
        if (work == null) {
            work = new byte[WORK];
        }
        return work;
    }

    private static long roundUp(long n) {
        return (n + SECTOR - 1) / SECTOR * SECTOR;
    }
}
