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
    static final int KEY_SLOTS = 8;
    static final int SALT_LENGTH = 32;
    static final int DIGEST_LENGTH = 20;
    private static final int NAME_LENGTH = 32;
    private static final int UUID_LENGTH = 40;
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
        String cipherName = string(b, NAME_LENGTH);
        String cipherMode = string(b, NAME_LENGTH);
        LuksHash hash = LuksHash.fromSpec(string(b, NAME_LENGTH));
        long payloadOffset = Integer.toUnsignedLong(b.getInt()) * SECTOR;
        int keyBytes = b.getInt();
        byte[] digest = bytes(b, DIGEST_LENGTH);
        byte[] digestSalt = bytes(b, SALT_LENGTH);
        int digestIterations = b.getInt();
        String uuid = string(b, UUID_LENGTH);
        List<KeySlot> slots = new ArrayList<>(KEY_SLOTS);
        for (int i = 0; i < KEY_SLOTS; i++) {
            int state = b.getInt();
            if (state != SLOT_ENABLED && state != SLOT_DISABLED) {
                throw new LuksFormatException("key slot " + i + " has an invalid state");
            }
            int iterations = b.getInt();
            byte[] salt = bytes(b, SALT_LENGTH);
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

    /** The 592 bytes of this header as they go to offset 0 of the volume file: the inverse of {@link #parse}. */
    public ByteBuffer encode() {
        if (keySlots.size() != KEY_SLOTS) {
            throw new IllegalArgumentException("a LUKS1 header has " + KEY_SLOTS + " key slots, not " + keySlots.size());
        }
        ByteBuffer b = ByteBuffer.allocate(LENGTH).order(java.nio.ByteOrder.BIG_ENDIAN);
        b.put(MAGIC).putShort((short) 1);
        putString(b, cipherName, NAME_LENGTH);
        putString(b, cipherMode, NAME_LENGTH);
        putString(b, hash.spec(), NAME_LENGTH);
        b.putInt(sectors(payloadOffset)).putInt(keyBytes);
        putBytes(b, masterKeyDigest, DIGEST_LENGTH);
        putBytes(b, masterKeyDigestSalt, SALT_LENGTH);
        b.putInt(masterKeyDigestIterations);
        putString(b, uuid, UUID_LENGTH);
        for (KeySlot slot : keySlots) {
            b.putInt(slot.active() ? SLOT_ENABLED : SLOT_DISABLED).putInt(slot.iterations());
            putBytes(b, slot.salt(), SALT_LENGTH);
            b.putInt(sectors(slot.keyMaterialOffset())).putInt(slot.stripes());
        }
        return b.flip();
    }

    private static int sectors(long bytes) {
        if (bytes % SECTOR != 0 || bytes / SECTOR > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not a LUKS1 sector offset: " + bytes);
        }
        return (int) (bytes / SECTOR);
    }

    private static void putBytes(ByteBuffer b, byte[] value, int n) {
        if (value.length != n) {
            throw new IllegalArgumentException("expected " + n + " bytes, not " + value.length);
        }
        b.put(value);
    }

    /** ASCII, NUL-padded; at least one NUL, as qemu and cryptsetup write it. */
    private static void putString(ByteBuffer b, String value, int n) {
        byte[] raw = value.getBytes(StandardCharsets.US_ASCII);
        if (raw.length >= n) {
            throw new IllegalArgumentException("'" + value + "' does not fit a " + n + "-byte LUKS field");
        }
        b.put(raw).put(new byte[n - raw.length]);
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
