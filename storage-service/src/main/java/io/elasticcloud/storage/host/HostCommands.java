package io.elasticcloud.storage.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Runs one command on a storage host: the seam between the storage backends (LVM, dm-crypt) and
 * the machine whose block devices they manage, which is either this machine ({@link LocalCommands})
 * or a storage box reached through its guest agent ({@link GuestAgentCommands}). Commands are an
 * argv, never a shell string, so no name needs quoting; stdin may carry a LUKS key, which an
 * implementation never logs, never puts in a {@code toString} and never puts in an exception.
 */
@FunctionalInterface
public interface HostCommands {

    /**
     * Runs {@code argv} with {@code stdin} (may be empty) as its standard input and waits at most
     * {@code timeout} for it to finish. A non-zero exit is a {@link Result}, not an exception.
     *
     * @throws IOException when the command could not be started (no such program, the host
     *         unreachable) or did not finish within {@code timeout}; in the latter case the
     *         implementation has tried to kill it
     */
    Result run(List<String> argv, byte[] stdin, Duration timeout) throws IOException;

    /**
     * How a command ended: its exit status ({@code 128 + n} when signal {@code n} killed it, as a
     * shell reports it) and everything it wrote. The arrays are copied in and out, so a result is
     * immutable.
     */
    record Result(int exit, byte[] stdout, byte[] stderr) {
        private static final int SHOWN_STDERR = 200;

        public Result {
            stdout = stdout.clone();
            stderr = stderr.clone();
        }

        @Override
        public byte[] stdout() {
            return stdout.clone();
        }

        @Override
        public byte[] stderr() {
            return stderr.clone();
        }

        /** Whether the command exited with status 0. */
        public boolean ok() {
            return exit == 0;
        }

        /** Standard output decoded as UTF-8 (LVM's JSON reports, for one). */
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** Standard error decoded as UTF-8, stripped: the text for an error message. */
        public String stderrText() {
            return new String(stderr, StandardCharsets.UTF_8).strip();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Result r && r.exit == exit && Arrays.equals(r.stdout, stdout)
                    && Arrays.equals(r.stderr, stderr);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * exit + Arrays.hashCode(stdout)) + Arrays.hashCode(stderr);
        }

        /** The exit status, the output's size and the start of stderr (what a log line needs). */
        @Override
        public String toString() {
            String said = stderrText();
            if (said.length() > SHOWN_STDERR) {
                said = said.substring(0, SHOWN_STDERR) + "...";
            }
            return "Result[exit=" + exit + ", stdout=" + stdout.length + " bytes, stderr=" + said + "]";
        }
    }
}
