package io.elasticcloud.protocol;

import java.util.Locale;

/**
 * The error types of the public API (the {@code X-Elastic-Error} header). Every failure that
 * crosses the bus or reaches a customer carries exactly one of them.
 */
public enum ErrorType {
    /** Invalid input data to the command. */
    USAGE(400),
    /** HTTP Basic authentication missing or incorrect. */
    AUTH(401),
    /** Account balance and/or subscriptions do not cover the command. */
    BILLING(402),
    /** Command, drive, server or other object not found. */
    MISSING(404),
    /** GET used on a command expecting POST. */
    METHOD(405),
    /** Drive, server or other resource is busy. */
    BUSY(409),
    /** A valid command that could not be carried out. */
    FAILED(500),
    /** A fault of the platform itself (database, bus, storage node unreachable). */
    SYSTEM(500),
    /** Drive or other resource full. */
    FULL(507);

    private final int status;

    ErrorType(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The value of the {@code X-Elastic-Error} header. */
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
