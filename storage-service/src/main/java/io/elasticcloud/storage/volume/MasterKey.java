package io.elasticcloud.storage.volume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The storage service's master key: it wraps (AES-256-GCM) every per-volume key, so a copy of
 * the volume directory alone opens nothing.
 *
 * <p>File format: one line, the base64 of 32 random bytes. Created 0600 at first start when
 * missing (in a 0700 directory when that is new too); never overwritten.
 */
public final class MasterKey {
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private MasterKey(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A key held only in memory (for tests and fakes). */
    public static MasterKey random() {
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        return new MasterKey(k);
    }

    /** Loads the key file, generating it first when it does not exist. */
    public static MasterKey loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        byte[] k;
        try {
            k = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("master key file " + file + " is not base64");
        }
        if (k.length != KEY_BYTES) {
            throw new IOException("master key file " + file + " must hold " + KEY_BYTES + " bytes, not " + k.length);
        }
        return new MasterKey(k);
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.exists(dir)) {
            // only the key's own directory is closed: its parents (the data directory) must stay
            // traversable, guests' qemu reaches volume files below them
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile by another process
            }
        }
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        Path tmp = Files.createTempFile(dir, ".master-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(tmp, (Base64.getEncoder().encodeToString(k) + "\n").getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            try {
                // a link fails if another process made the key meanwhile: its key wins, not ours
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // keep the existing key
            }
        } finally {
            Files.deleteIfExists(tmp);
            Arrays.fill(k, (byte) 0);
        }
    }

    /** Encrypts {@code secret} for {@code volume}: the volume's name is bound in as associated data. */
    public byte[] wrap(String volume, byte[] secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(aad(volume));
            byte[] sealed = gcm.doFinal(secret);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Decrypts what {@link #wrap} made for the same volume with the same master key. */
    public byte[] unwrap(String volume, byte[] wrapped) throws IOException {
        if (wrapped.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IOException("wrapped key of volume " + volume + " is truncated");
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
            gcm.updateAAD(aad(volume));
            return gcm.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IOException("the key of volume " + volume + " was not wrapped by this master key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static byte[] aad(String volume) {
        return ("elastic-cloud volume key v1:" + volume).getBytes(StandardCharsets.UTF_8);
    }
}
