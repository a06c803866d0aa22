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
}
