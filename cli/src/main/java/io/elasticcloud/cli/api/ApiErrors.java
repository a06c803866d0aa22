package io.elasticcloud.cli.api;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.ExitCode;
import java.nio.charset.StandardCharsets;

/** The API's error replies as the tool reports them, and which of them are worth a retry. */
public final class ApiErrors {
    private ApiErrors() {
    }

    /**
     * {@code elastic: TYPE: description}, the description being the body's first line. A reply
     * without a known type (a proxy's 502, say) is reported with its status instead.
     */
    public static CliException fromReply(int status, String errorType, byte[] body, String what) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        int nl = text.indexOf('\n');
        String line = (nl < 0 ? text : text.substring(0, nl)).strip();
        if (line.length() > 300) {
            line = line.substring(0, 300) + "...";
        }
        ExitCode code = ExitCode.forErrorType(errorType);
        if (code == ExitCode.PROTOCOL) {
            return new CliException(code, "http", "HTTP " + status + " on " + what
                    + (line.isEmpty() ? "" : ": " + line));
        }
        return new CliException(code, code.errorType(), line.isEmpty() ? "HTTP " + status + " on " + what : line);
    }

    /**
     * Worth another try: a lost connection, a timeout, the platform's own fault, a reply that is
     * not the API's (a proxy). Never the customer's mistakes (usage, auth, missing, full, ...).
     */
    public static boolean isTransient(CliException e) {
        return switch (e.exitCode()) {
            case CONNECTION, SYSTEM, PROTOCOL -> true;
            default -> false;
        };
    }
}
