package io.elasticcloud.storage.luks;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The LUKS1 partition header (cryptsetup's "LUKS1 On-Disk Format Specification", version 1.2):
 * 592 bytes, big-endian, at offset 0 of the volume file.
 *
 * @param payloadOffset    where the encrypted payload starts, in bytes
 * @param keyBytes         the master key's length (64 for aes-256-xts)
 * @param masterKeyDigest  PBKDF2 of the master key, to recognise it when a slot is unlocked
 */
public record LuksHeader(String cipherName, String cipherMode, LuksHash hash, long payloadOffset,
                         int keyBytes, byte[] masterKeyDigest, byte[] masterKeyDigestSalt,
                         int masterKeyDigestIterations, String uuid, List<KeySlot> keySlots) {

    public static final int LENGTH = 592;
    static final int SECTOR = 512;
    private static final byte[] MAGIC = {'L', 'U', 'K', 'S', (byte) 0xba, (byte) 0xbe};
    private static final int SLOT_ENABLED = 0x00AC71F3;
    private static final int SLOT_DISABLED = 0x0000DEAD;

    /** One of the eight key slots; {@code keyMaterialOffset} in bytes. */
    public record KeySlot(boolean active, int iterations, byte[] salt, long keyMaterialOffset, int stripes) {
    }

    public static LuksHeader parse(ByteBuffer raw) {
        if (raw.remaining() < LENGTH) {
            throw new LuksFormatException("file too short for a LUKS header");
        }
        ByteBuffer b = raw.slice().order(java.nio.ByteOrder.BIG_ENDIAN);
        byte[] magic = bytes(b, 6);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new LuksFormatException("not a LUKS volume (bad magic)");
        }
        int version = Short.toUnsignedInt(b.getShort());
        if (version != 1) {
            throw new LuksFormatException("unsupported LUKS version " + version);
        }
        String cipherName = string(b, 32);
        String cipherMode = string(b, 32);
        LuksHash hash = LuksHash.fromSpec(string(b, 32));
        long payloadOffset = Integer.toUnsignedLong(b.getInt()) * SECTOR;
        int keyBytes = b.getInt();
        byte[] digest = bytes(b, 20);
        byte[] digestSalt = bytes(b, 32);
        int digestIterations = b.getInt();
        String uuid = string(b, 40);
        List<KeySlot> slots = new ArrayList<>(8);
        for (int i = 0; i < 8; i++) {
            int state = b.getInt();
            if (state != SLOT_ENABLED && state != SLOT_DISABLED) {
                throw new LuksFormatException("key slot " + i + " has an invalid state");
            }
            int iterations = b.getInt();
            byte[] salt = bytes(b, 32);
            long materialOffset = Integer.toUnsignedLong(b.getInt()) * SECTOR;
            int stripes = b.getInt();
            slots.add(new KeySlot(state == SLOT_ENABLED, iterations, salt, materialOffset, stripes));
        }
        if (!"aes".equals(cipherName) || !"xts-plain64".equals(cipherMode)) {
            throw new LuksFormatException("unsupported LUKS cipher " + cipherName + "-" + cipherMode
                    + " (only aes-xts-plain64)");
        }
        if (keyBytes != 32 && keyBytes != 64) {
            throw new LuksFormatException("unsupported LUKS key length " + keyBytes);
        }
        if (payloadOffset < LENGTH) {
            throw new LuksFormatException("LUKS payload offset inside the header");
        }
        return new LuksHeader(cipherName, cipherMode, hash, payloadOffset, keyBytes, digest, digestSalt,
                digestIterations, uuid, List.copyOf(slots));
    }

    private static byte[] bytes(ByteBuffer b, int n) {
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static String string(ByteBuffer b, int n) {
        byte[] raw = bytes(b, n);
        int end = 0;
        while (end < n && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.US_ASCII);
    }
}
