package io.elasticcloud.storage.nbd;

/**
 * One transmission request header ({@code NBD_CMD_*}); for a write, {@code length} payload bytes
 * follow it on the wire. The cookie (the protocol's "handle") comes back in the reply.
 */
record NbdRequest(int flags, int type, long cookie, long offset, int length) {

    /** The request in words, for messages: {@code WRITE of 4096 bytes at offset 512}. */
    String describe() {
        return switch (type) {
            case NbdProtocol.CMD_FLUSH, NbdProtocol.CMD_DISC -> NbdProtocol.commandName(type);
            default -> NbdProtocol.commandName(type) + " of " + Integer.toUnsignedString(length)
                    + " bytes at offset " + Long.toUnsignedString(offset);
        };
    }
}
