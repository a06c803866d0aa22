package io.elasticcloud.storage.nbd;

import java.io.IOException;

/**
 * The peer broke the protocol (a wrong magic, a reply to another request, an impossible length),
 * or is no NBD server at all: the connection cannot be used any further.
 */
public final class NbdProtocolException extends IOException {

    public NbdProtocolException(String message) {
        super(message);
    }
}
