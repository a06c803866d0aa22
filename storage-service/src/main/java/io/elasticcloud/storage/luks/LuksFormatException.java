package io.elasticcloud.storage.luks;

/** A LUKS header that is not one this implementation can open, or a passphrase that opens no slot. */
public class LuksFormatException extends RuntimeException {
    public LuksFormatException(String message) {
        super(message);
    }
}
