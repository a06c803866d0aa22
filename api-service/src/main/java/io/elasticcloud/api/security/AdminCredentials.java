package io.elasticcloud.api.security;

import io.elasticcloud.api.ApiProperties;
import io.elasticcloud.protocol.secret.PrivateFiles;
import io.elasticcloud.protocol.settings.DataDirectory;
import io.elasticcloud.api.frontdoor.FrontDoorProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.springframework.stereotype.Component;

/**
 * The admin's password. People choose passwords, so it is kept as a slow salted PBKDF2 hash in
 * {@code DATA_DIR/keys/admin-password}. Configured ({@code ELASTIC_ADMIN_PASSWORD}) it replaces
 * the kept one; unset at first start, one is generated and printed once. A password that verified
 * is remembered (as its SHA-256) so that admin calls do not pay the slow hash every time, while
 * every wrong guess still does. The slow hash runs for one request at a time (the others wait up to
 * {@code elastic.http.admin-hash-wait}, then are held back): guesses from many addresses at once
 * take at most one core, never all of them. Guesses from one address are limited before they get
 * here ({@link AuthFailures}).
 */
@Component
public class AdminCredentials {
    private static final int ITERATIONS = 210_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] salt;
    private final byte[] hash;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    private final Semaphore hashing = new Semaphore(1, true);
    private final long hashWaitMillis;

    public AdminCredentials(ApiProperties properties, DataDirectory data, FrontDoorProperties limits) {
        this.hashWaitMillis = limits.adminHashWait().toMillis();
        Path keys = ApiProperties.keysDir(data);
        Path file = keys.resolve("admin-password");
        try {
            PrivateFiles.directory(keys);
            PrivateFiles.closeTree(file);
            String configured = properties.adminPassword();
            if ((configured == null || configured.isEmpty()) && Files.exists(file)) {
                String[] kept = Files.readString(file).trim().split(":");
                salt = Base64.getDecoder().decode(kept[0]);
                hash = Base64.getDecoder().decode(kept[1]);
                return;
            }
            String password = configured;
            if (password == null || password.isEmpty()) {
                byte[] random = new byte[18];
                RANDOM.nextBytes(random);
                password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                // Printed to the console once: the operator's only chance to read it.
                System.out.println("Generated admin password: " + password);
            }
            salt = new byte[16];
            RANDOM.nextBytes(salt);
            hash = pbkdf2(password, salt);
            keep(file, Base64.getEncoder().encodeToString(salt) + ":" + Base64.getEncoder().encodeToString(hash));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the admin password in " + file, e);
        }
    }

    public boolean matches(String password) {
        String fingerprint = fingerprint(password);
        if (verified.contains(fingerprint)) {
            return true;
        }
        try {
            if (!hashing.tryAcquire(hashWaitMillis, TimeUnit.MILLISECONDS)) {
                throw new HeldBackException("the admin password check is busy; try again in 1 s", 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HeldBackException("interrupted while waiting to check the admin password", 1);
        }
        try {
            if (MessageDigest.isEqual(hash, pbkdf2(password, salt))) {
                verified.add(fingerprint);
                return true;
            }
            return false;
        } finally {
            hashing.release();
        }
    }

    private static void keep(Path file, String line) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PrivateFiles.file()); // rw------- before the hash is in it
        Files.writeString(tmp, line + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] pbkdf2(String password, byte[] salt) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java runtime", e);
        }
    }

    private static String fingerprint(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
