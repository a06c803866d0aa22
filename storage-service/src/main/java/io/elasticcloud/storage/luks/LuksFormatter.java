package io.elasticcloud.storage.luks;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Creates a qemu LUKS1 volume in Java, laid out as {@code qemu-img create -f luks} lays out
 * aes-256-xts-plain64 with sha256 (qemu's crypto/block-luks.c, {@code qcrypto_block_luks_create}
 * and {@code qcrypto_block_luks_store_key}; cryptsetup's LUKS1 on-disk format 1.2):
 *
 * <ul>
 *   <li>a random 64-byte master key; its digest is 20 bytes of PBKDF2 over it, with a random
 *       32-byte salt;</li>
 *   <li>eight key slots of 4000 stripes; slot {@code i}'s key material starts at sector
 *       {@code 8 + i * 504} (4096 bytes for the header, then 64 x 4000 bytes = 500 sectors
 *       rounded up to a multiple of 8 sectors per slot), so the payload starts at sector 4040
 *       (2,068,480 bytes);</li>
 *   <li>slot 0 active: the master key AF-split, then encrypted with AES-XTS-plain64 (sector
 *       numbers from 0 at the material's start) under 64 bytes of PBKDF2 of the passphrase with
 *       its own random salt; slots 1-7 disabled, with zero iterations and zero salt;</li>
 *   <li>a random UUID in lowercase text form; the file extended sparsely to the payload's end,
 *       so only the header and slot 0's material take disk space.</li>
 * </ul>
 *
 * <p>What differs from qemu-img is only the iteration counts: qemu calibrates them to an
 * {@code iter-time} (spending 1-2 s of CPU on that per create), we use {@link #ITERATIONS}.
 */
public final class LuksFormatter {
    /**
     * PBKDF2 iterations of slot 0 and of the master key digest: qemu's minimum for both
     * ({@code QCRYPTO_BLOCK_LUKS_MIN_SLOT_KEY_ITERS}, {@code ..._MIN_MASTER_KEY_ITERS}). Our
     * passphrases are 256 random bits, so stretching them adds no security, while every unlock
     * (ours, and qemu's at each attach) pays for each iteration.
     */
    public static final int ITERATIONS = 1000;
    static final int STRIPES = 4000;
    private static final int KEY_BYTES = 64;
    /** Where slot 0's material starts: the header's 592 bytes rounded up to 8 sectors. */
    private static final long HEADER_AREA = 4096;
    private static final LuksHash HASH = LuksHash.SHA256;
    /**
     * What a volume's header takes on disk whatever its size: the header area and key slot 0's
     * material (slots 1-7 stay holes, never written).
     */
    public static final long WRITTEN_HEADER_BYTES = HEADER_AREA + roundUp((long) KEY_BYTES * STRIPES, HEADER_AREA);
    private static final SecureRandom RANDOM = new SecureRandom();

    private LuksFormatter() {
    }

    /**
     * Creates {@code file} (which must not exist) as a LUKS1 volume with a payload of {@code size}
     * bytes rounded up to whole sectors, whose one key slot opens with {@code passphrase}. Does
     * not sync: the caller does, once it has written any content.
     *
     * @return the volume's unlocked key, so that the caller does not pay for an unlock
     */
    public static LuksKey format(Path file, long size, byte[] passphrase) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("negative size");
        }
        byte[] masterKey = random(KEY_BYTES);
        byte[] digestSalt = random(LuksHeader.SALT_LENGTH);
        byte[] digest = Pbkdf2.derive(HASH, masterKey, digestSalt, ITERATIONS, LuksHeader.DIGEST_LENGTH);
        byte[] slotSalt = random(LuksHeader.SALT_LENGTH);
        byte[] slotKey = Pbkdf2.derive(HASH, passphrase, slotSalt, ITERATIONS, KEY_BYTES);
        // 64 x 4000 bytes is exactly 500 sectors, as XTS needs
        byte[] material = AfSplitter.split(masterKey, STRIPES, HASH, RANDOM);
        new XtsAes(slotKey).encrypt(material, 0, material.length, 0);
        Arrays.fill(slotKey, (byte) 0);

        long slotSpan = roundUp(material.length, HEADER_AREA);
        long payloadOffset = HEADER_AREA + LuksHeader.KEY_SLOTS * slotSpan;
        List<LuksHeader.KeySlot> slots = new ArrayList<>(LuksHeader.KEY_SLOTS);
        for (int i = 0; i < LuksHeader.KEY_SLOTS; i++) {
            long offset = HEADER_AREA + i * slotSpan;
            slots.add(i == 0
                    ? new LuksHeader.KeySlot(true, ITERATIONS, slotSalt, offset, STRIPES)
                    : new LuksHeader.KeySlot(false, 0, new byte[LuksHeader.SALT_LENGTH], offset, STRIPES));
        }
        LuksHeader header = new LuksHeader("aes", "xts-plain64", HASH, payloadOffset, KEY_BYTES, digest,
                digestSalt, ITERATIONS, UUID.randomUUID().toString(), slots);

        // rw-------: only the storage service (and, while a guest runs, the qemu libvirt hands it to)
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            FileChannel ch = f.getChannel();
            // material before header, as qemu: a header never names material that is not there
            writeFully(ch, ByteBuffer.wrap(material), HEADER_AREA);
            writeFully(ch, header.encode(), 0);
            f.setLength(LuksPayload.fileLength(payloadOffset, size));
        }
        return new LuksKey(masterKey, payloadOffset);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf, position + buf.position());
        }
    }
}
