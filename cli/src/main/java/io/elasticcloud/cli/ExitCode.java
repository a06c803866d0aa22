package io.elasticcloud.cli;

import java.util.Locale;

/**
 * The tool's exit statuses: one per {@code X-Elastic-Error} type, so a script can tell "the drive
 * is gone" from "the drive is full" without parsing words, plus the failures that happen before
 * or after the API answers. The table is documented in {@code docs/cli.md}; never renumber.
 */
public enum ExitCode {
    OK(0, null, "success"),
    LOCAL(1, null, "a local failure: a file could not be read or written"),
    COMMAND_LINE(2, null, "the command line is wrong (unknown command or option, missing argument)"),
    CONNECTION(3, null, "the endpoint could not be reached, or timed out"),
    VERIFY(4, null, "the checksum read back differs from what was sent"),
    USAGE(10, "usage", "400: the API refused the input"),
    AUTH(11, "auth", "401: credentials missing or wrong"),
    BILLING(12, "billing", "402: the account does not cover the command"),
    MISSING(13, "missing", "404: no such command, drive, server or resource"),
    METHOD(14, "method", "405: GET on a command that expects POST"),
    BUSY(15, "busy", "409: the drive, server or resource is busy"),
    FAILED(16, "failed", "500: the command was valid but could not be carried out"),
    SYSTEM(17, "system", "500: a fault of the platform"),
    FULL(18, "full", "507: the drive or another resource is full"),
    PROTOCOL(19, null, "a reply that is not the API's (no or unknown X-Elastic-Error)");

    private final int status;
    private final String errorType;
    private final String meaning;

    ExitCode(int status, String errorType, String meaning) {
        this.status = status;
        this.errorType = errorType;
        this.meaning = meaning;
    }

    public int status() {
        return status;
    }

    /** The {@code X-Elastic-Error} value this status stands for, or null for the tool's own. */
    public String errorType() {
        return errorType;
    }

    public String meaning() {
        return meaning;
    }

    /** The exit code for an {@code X-Elastic-Error} value; {@link #PROTOCOL} when unknown or absent. */
    public static ExitCode forErrorType(String type) {
        if (type != null) {
            String t = type.strip().toLowerCase(Locale.ROOT);
            for (ExitCode c : values()) {
                if (t.equals(c.errorType)) {
                    return c;
                }
            }
        }
        return PROTOCOL;
    }
}
