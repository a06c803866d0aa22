package io.elasticcloud.protocol.storage;

import java.util.Locale;

/** How a volume's bytes are kept at rest. */
public enum Cipher {
    /** A plain sparse raw file. */
    NONE("none"),
    /** A qemu LUKS1 volume, aes-256-xts-plain64, with a random per-volume key. */
    AES_XTS_PLAIN("aes-xts-plain");

    private final String apiName;

    Cipher(String apiName) {
        this.apiName = apiName;
    }

    /** The value of the API key {@code encryption:cipher}. */
    public String apiName() {
        return apiName;
    }

    public static Cipher fromApiName(String value) {
        for (Cipher c : values()) {
            if (c.apiName.equals(value.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cipher " + value);
    }
}
