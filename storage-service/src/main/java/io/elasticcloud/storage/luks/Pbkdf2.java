package io.elasticcloud.storage.luks;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PBKDF2 (RFC 8018) over raw bytes. The JDK's {@code PBKDF2WithHmac*} takes the password as
 * chars and encodes them as UTF-8, which cannot express LUKS's master-key digest, where the
 * "password" is the binary master key.
 */
final class Pbkdf2 {
    private Pbkdf2() {
    }

    static byte[] derive(LuksHash hash, byte[] password, byte[] salt, int iterations, int length) {
        try {
            Mac mac = Mac.getInstance(hash.hmacName());
            mac.init(new SecretKeySpec(password, hash.hmacName()));
            int hLen = mac.getMacLength();
            byte[] out = new byte[length];
            byte[] u = new byte[hLen];
            byte[] t = new byte[hLen];
            for (int block = 1, done = 0; done < length; block++, done += hLen) {
                mac.update(salt);
                mac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                mac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, hLen);
                for (int i = 1; i < iterations; i++) {
                    mac.update(u);
                    mac.doFinal(u, 0);
                    for (int j = 0; j < hLen; j++) {
                        t[j] ^= u[j];
                    }
                }
                System.arraycopy(t, 0, out, done, Math.min(hLen, length - done));
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hash.hmacName() + " is not available", e);
        }
    }
}
