package io.elasticcloud.storage.nbd;

import io.elasticcloud.protocol.ElasticException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The errors an NBD server returns in a reply, by the errno names the protocol lists (its values
 * are fixed by the protocol, not taken from the server's platform), and what each becomes here.
 */
final class NbdErrno {
    private static final Logger log = LoggerFactory.getLogger(NbdErrno.class);

    static final int EPERM = 1;
    static final int EIO = 5;
    static final int ENOMEM = 12;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EOVERFLOW = 75;
    static final int ENOTSUP = 95;
    static final int ESHUTDOWN = 108;

    private NbdErrno() {
    }

    /** The errno's name, or {@code errno N} for one the protocol does not list. */
    static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case EIO -> "EIO";
            case ENOMEM -> "ENOMEM";
            case EINVAL -> "EINVAL";
            case ENOSPC -> "ENOSPC";
            case EOVERFLOW -> "EOVERFLOW";
            case ENOTSUP -> "ENOTSUP";
            case ESHUTDOWN -> "ESHUTDOWN";
            default -> "errno " + Integer.toUnsignedString(errno);
        };
    }

    /**
     * Throws what the server's error reply to {@code request} stands for: {@code ENOSPC} is the
     * volume's storage being full ({@link ElasticException#full}, 507 toward the API, naming only
     * the request; the export and its address are logged); every other
     * errno is an {@link NbdErrorException} naming it, the request and the export.
     */
    static void raise(NbdTarget target, NbdRequest request, int errno) throws NbdErrorException {
        String message = request.describe() + " on NBD export '" + target.export() + "' at " + target
                + " failed: " + name(errno) + (errno == EPERM ? " (operation not permitted: a read-only export refuses writes)" : "");
        if (errno == ENOSPC) {
            // a customer's answer: the storage's addresses stay in the log
            log.warn("{}", message);
            throw ElasticException.full("no space left for volume data: %s failed: ENOSPC", request.describe());
        }
        throw new NbdErrorException(message, errno);
    }
}
