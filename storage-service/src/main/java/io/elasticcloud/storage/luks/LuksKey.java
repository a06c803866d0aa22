package io.elasticcloud.storage.luks;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A LUKS1 volume's unlocked master key and payload offset: what reading and writing the payload
 * needs. Unlocking costs two PBKDF2 runs (the slot's and the digest's), so callers cache it.
 */
public final class LuksKey {
    private final byte[] masterKey;
    private final long payloadOffset;

    LuksKey(byte[] masterKey, long payloadOffset) {
        this.masterKey = masterKey;
        this.payloadOffset = payloadOffset;
    }

    /**
     * Tries the passphrase on every active key slot, as cryptsetup and qemu do.
     *
     * @throws LuksFormatException when the header is not supported or no slot opens
     */
    public static LuksKey unlock(FileChannel file, byte[] passphrase) throws IOException {
        LuksHeader header = LuksHeader.parse(readFully(file, 0, LuksHeader.LENGTH));
        for (LuksHeader.KeySlot slot : header.keySlots()) {
            if (!slot.active()) {
                continue;
            }
            byte[] slotKey = Pbkdf2.derive(header.hash(), passphrase, slot.salt(), slot.iterations(), header.keyBytes());
            int materialLength = header.keyBytes() * slot.stripes();
            int sectorsLength = (materialLength + XtsAes.SECTOR_SIZE - 1) / XtsAes.SECTOR_SIZE * XtsAes.SECTOR_SIZE;
            byte[] material = new byte[sectorsLength];
            readFully(file, slot.keyMaterialOffset(), sectorsLength).get(material);
            // the key material is encrypted like payload, with sector numbers counted from its start
            new XtsAes(slotKey).decrypt(material, 0, sectorsLength, 0);
            byte[] candidate = AfSplitter.merge(material, header.keyBytes(), slot.stripes(), header.hash());
            byte[] digest = Pbkdf2.derive(header.hash(), candidate, header.masterKeyDigestSalt(),
                    header.masterKeyDigestIterations(), header.masterKeyDigest().length);
            Arrays.fill(slotKey, (byte) 0);
            Arrays.fill(material, (byte) 0);
            if (MessageDigest.isEqual(digest, header.masterKeyDigest())) {
                return new LuksKey(candidate, header.payloadOffset());
            }
        }
        throw new LuksFormatException("the passphrase opens no key slot of this LUKS volume");
    }

    public long payloadOffset() {
        return payloadOffset;
    }

    /** A fresh cipher for one user of the volume (ciphers are not thread-safe). */
    public XtsAes newCipher() {
        return new XtsAes(masterKey);
    }

    private static ByteBuffer readFully(FileChannel file, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (file.read(buf, position + buf.position()) < 0) {
                throw new EOFException("LUKS volume ends inside its header or key material");
            }
        }
        return buf.flip();
    }
}
