package io.elasticcloud.storage.lvm;

import io.elasticcloud.storage.host.HostCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The commands this backend runs on its storage host, each bounded by one timeout, with what
 * a failure says: the command and the tool's own words (stderr), never its stdin (keys).
 */
final class StorageHostCommands {
    private static final int LONGEST_MESSAGE = 400;

    private final HostCommands commands;
    private final Duration timeout;

    StorageHostCommands(HostCommands commands, Duration timeout) {
        this.commands = commands;
        this.timeout = timeout;
    }

    /** Runs the command; its exit code is the caller's to judge. */
    HostCommands.Result run(List<String> argv, byte[] stdin) throws IOException {
        return commands.run(argv, stdin == null ? new byte[0] : stdin, timeout);
    }

    /** Runs the command and answers its stdout, or throws when it exits other than 0. */
    String require(List<String> argv, byte[] stdin) throws IOException {
        HostCommands.Result result = run(argv, stdin);
        if (result.exit() != 0) {
            throw failure(argv, result);
        }
        return new String(result.stdout(), StandardCharsets.UTF_8);
    }

    /** Lets go of the connection to the storage host, if the commands hold one (a box's agent socket). */
    void close() {
        if (commands instanceof java.io.Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // closing a socket: nothing to do about a failure
            }
        }
    }

    IOException failure(List<String> argv, HostCommands.Result result) {
        String said = new String(result.stderr(), StandardCharsets.UTF_8).strip();
        if (said.length() > LONGEST_MESSAGE) {
            said = said.substring(0, LONGEST_MESSAGE) + "...";
        }
        String what = String.join(" ", argv.subList(0, Math.min(2, argv.size())));
        return new IOException(what + " failed on the storage host (exit " + result.exit() + "): " + said);
    }
}
