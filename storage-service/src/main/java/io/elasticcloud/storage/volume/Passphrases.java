package io.elasticcloud.storage.volume;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** The LUKS passphrase of a new encrypted volume, whichever backend keeps it. */
public final class Passphrases {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passphrases() {
    }

    /**
     * 256 random bits, printable (base64url, 43 characters): the same bytes serve as a qemu or
     * libvirt secret and as cryptsetup's key file without re-encoding. PBKDF2's stretching adds
     * nothing to a secret this long.
     */
    public static byte[] random() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random).getBytes(StandardCharsets.US_ASCII);
    }
}
