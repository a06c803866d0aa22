package io.elasticcloud.cli.command;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.Terminal;
import io.elasticcloud.cli.api.ApiClient;
import io.elasticcloud.cli.args.ParsedArgs;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One run of one command: its arguments, the streams, the terminal, the global options, and the
 * API (created only when first asked for, so {@code --help} and argument errors need no
 * credentials).
 */
public record Invocation(ParsedArgs args, InputStream in, PrintStream out, PrintStream err, Terminal terminal,
                         Map<String, String> env, boolean json, boolean quiet, Supplier<ApiClient> apiSupplier) {

    public ApiClient api() {
        return apiSupplier.get();
    }

    /** The media type replies are asked for: the API's text form, or JSON with {@code -j}. */
    public String accept() {
        return json ? "application/json" : "text/plain";
    }

    /** All of standard input as text (a hint first when it is a terminal, so nobody waits in silence). */
    public String readStdinText() {
        if (terminal.stdinIsTerminal()) {
            err.println("elastic: reading key value lines from the terminal; end with Ctrl-D");
        }
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.local("cannot read standard input: %s", e.getMessage());
        }
    }
}
