package io.elasticcloud.protocol.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A master key from a file: it seals small secrets (AES-256-GCM, a random nonce each time, a
 * context bound in as associated data). The storage service wraps every per-volume key with its
 * own, so a copy of the volume directory alone opens nothing; the API service seals the VNC
 * passwords it keeps in its database with its own (on the single host both default to the same
 * file, {@code DATA_DIR/keys/master.key}).
 *
 * <p>File format: one line, the base64 of 32 random bytes. Created {@code rw-------} at first
 * start when missing, in a {@code rwx------} directory when that is new too ({@link PrivateFiles});
 * an existing file is closed to others at each load; never overwritten.
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
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            // a directory made here is closed; one that exists is the operator's (or its module's)
            PrivateFiles.directory(dir);
        }
        if (!Files.exists(file)) {
            create(file);
        }
        PrivateFiles.closeTree(file); // a file: rw-------, as an older install may not have left it
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        byte[] k;
        try {
            k = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("master key file " + file + " is not base64", e);
        }
        if (k.length != KEY_BYTES) {
            throw new IOException("master key file " + file + " must hold " + KEY_BYTES + " bytes, not " + k.length);
        }
        return new MasterKey(k);
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        byte[] k = new byte[KEY_BYTES];
        RANDOM.nextBytes(k);
        Path tmp = Files.createTempFile(dir, ".master-", ".tmp", PrivateFiles.file());
        try {
            Files.write(tmp, (Base64.getEncoder().encodeToString(k) + "\n").getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            try {
                // a link fails if another process made the key meanwhile: its key wins, not ours
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // keep the existing key
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup); // the first failure is the one to see
            }
            throw e;
        } finally {
            Arrays.fill(k, (byte) 0);
        }
        Files.deleteIfExists(tmp);
    }

    /** Encrypts {@code secret} for {@code volume}: the volume's name is bound in as associated data. */
    public byte[] wrap(String volume, byte[] secret) {
        return seal(volumeContext(volume), secret);
    }

    /** Decrypts what {@link #wrap} made for the same volume with the same master key. */
    public byte[] unwrap(String volume, byte[] wrapped) throws IOException {
        if (wrapped.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IOException("wrapped key of volume " + volume + " is truncated");
        }
        try {
            return open(volumeContext(volume), wrapped);
        } catch (AEADBadTagException e) {
            throw new IOException("the key of volume " + volume + " was not wrapped by this master key", e);
        }
    }

    /**
     * Encrypts {@code secret}, binding in {@code context} (what the secret is, and whose): nonce,
     * ciphertext and tag, 28 bytes more than the secret.
     */
    public byte[] seal(String context, byte[] secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = gcm.doFinal(secret);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Decrypts what {@link #seal} made for the same context with this key.
     *
     * @throws AEADBadTagException when it was sealed by another key or for another context, or changed
     */
    public byte[] open(String context, byte[] sealed) throws AEADBadTagException {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new AEADBadTagException("sealed secret is truncated");
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            gcm.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return gcm.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private static String volumeContext(String volume) {
        return "elastic-cloud volume key v1:" + volume;
    }
}
