package io.elasticcloud.agent.network;

import java.util.List;

/**
 * Runs one host command ({@code ip}, {@code bridge}) given as an argument vector, never through a
 * shell. The real one runs it on this host ({@link ProcessCommandRunner#local()}); tests run it in
 * a network namespace of their own ({@link ProcessCommandRunner#inNamespace(String)}).
 */
@FunctionalInterface
public interface CommandRunner {

    /** Runs {@code argv} to its end (or a bounded timeout) and answers its exit code and output. */
    Result run(List<String> argv);

    /**
     * @param exitCode the command's exit status (-1 when it was killed at the timeout)
     * @param output   what it wrote on standard output
     * @param error    what it wrote on standard error
     */
    record Result(int exitCode, String output, String error) {
        public boolean ok() {
            return exitCode == 0;
        }
    }
}
