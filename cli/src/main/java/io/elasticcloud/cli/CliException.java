package io.elasticcloud.cli;

/**
 * A failure the tool reports as {@code elastic: LABEL: description} on standard error, exiting
 * with {@link #exitCode()}. The label is the API's error type for API errors and a word of the
 * tool's own otherwise; the description is written for the person at the terminal and never
 * contains credentials.
 */
public class CliException extends RuntimeException {
    private final ExitCode exitCode;
    private final String label;

    public CliException(ExitCode exitCode, String label, String description) {
        super(description);
        this.exitCode = exitCode;
        this.label = label;
    }

    public CliException(ExitCode exitCode, String label, String description, Throwable cause) {
        super(description, cause);
        this.exitCode = exitCode;
        this.label = label;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    public String label() {
        return label;
    }

    /** The line printed on standard error. */
    public String line() {
        return "elastic: " + label + ": " + getMessage();
    }

    public static CliException commandLine(String format, Object... args) {
        return new CliException(ExitCode.COMMAND_LINE, "arguments", String.format(format, args));
    }

    public static CliException local(String format, Object... args) {
        return new CliException(ExitCode.LOCAL, "error", String.format(format, args));
    }

    /** An error the API would give; also used when the tool sees it coming (a file too big). */
    public static CliException api(ExitCode code, String format, Object... args) {
        return new CliException(code, code.errorType(), String.format(format, args));
    }
}
