package io.elasticcloud.protocol;

/**
 * A failure with a public error type and a one-line description written for the person who made
 * the call. It is the only exception that crosses the bus: a storage node or agent throws it, the
 * transport carries type and message, and the API service answers with them unchanged.
 */
public class ElasticException extends RuntimeException {
    private final ErrorType type;

    public ElasticException(ErrorType type, String message) {
        super(message);
        this.type = type;
    }

    public ElasticException(ErrorType type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }

    public static ElasticException usage(String format, Object... args) {
        return new ElasticException(ErrorType.USAGE, String.format(format, args));
    }

    public static ElasticException missing(String format, Object... args) {
        return new ElasticException(ErrorType.MISSING, String.format(format, args));
    }

    public static ElasticException busy(String format, Object... args) {
        return new ElasticException(ErrorType.BUSY, String.format(format, args));
    }

    public static ElasticException full(String format, Object... args) {
        return new ElasticException(ErrorType.FULL, String.format(format, args));
    }

    public static ElasticException failed(String format, Object... args) {
        return new ElasticException(ErrorType.FAILED, String.format(format, args));
    }

    public static ElasticException system(String format, Object... args) {
        return new ElasticException(ErrorType.SYSTEM, String.format(format, args));
    }

    /**
     * Whether {@code e} or one of its causes is the operating system saying that a disk is full
     * ({@code ENOSPC}, "No space left on device", or {@code EDQUOT}): what becomes {@code 507
     * full}, never {@code 500 system}. The JDK gives no errno, only its message.
     */
    public static boolean diskFull(Throwable e) {
        Throwable t = e;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            String message = t.getMessage();
            if (t instanceof java.io.IOException && message != null
                    && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
