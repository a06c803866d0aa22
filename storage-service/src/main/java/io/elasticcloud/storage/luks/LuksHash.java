package io.elasticcloud.storage.luks;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The hash-spec values of a LUKS1 header that this implementation understands. */
enum LuksHash {
    SHA1("sha1", "SHA-1", "HmacSHA1"),
    SHA256("sha256", "SHA-256", "HmacSHA256"),
    SHA512("sha512", "SHA-512", "HmacSHA512");

    private final String spec;
    private final String digestName;
    private final String hmacName;

    LuksHash(String spec, String digestName, String hmacName) {
        this.spec = spec;
        this.digestName = digestName;
        this.hmacName = hmacName;
    }

    static LuksHash fromSpec(String spec) {
        for (LuksHash h : values()) {
            if (h.spec.equals(spec)) {
                return h;
            }
        }
        throw new LuksFormatException("unsupported LUKS hash-spec " + spec);
    }

    /** The name in the header's hash-spec field. */
    String spec() {
        return spec;
    }

    String hmacName() {
        return hmacName;
    }

    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(digestName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digestName + " is not available", e);
        }
    }
}
