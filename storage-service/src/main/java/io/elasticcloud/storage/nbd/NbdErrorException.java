package io.elasticcloud.storage.nbd;

import java.io.IOException;

/**
 * The NBD server answered a request with an error: the request failed, the connection stays in
 * step and can carry the next one.
 */
public final class NbdErrorException extends IOException {
    private final int errno;

    public NbdErrorException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The protocol's errno value ({@code 1} EPERM, {@code 28} ENOSPC, ...). */
    public int errno() {
        return errno;
    }
}
