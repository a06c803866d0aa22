package io.elasticcloud.storage.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.storage.host.HostCommands.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LocalCommands} against this machine's own processes (sh, cat, sleep: nothing to install). */
class LocalCommandsTest extends HostCommandsContract {

    @Override
    protected HostCommands open(Path dir) {
        return new LocalCommands();
    }

    @Test
    void commandsRunInTheCLocale() throws IOException {
        assertThat(run("sh", "-c", "echo $LC_ALL").stdoutText()).isEqualTo("C\n");
    }

    @Test
    void aTimeoutKillsTheWholeProcessTree() throws Exception {
        String background = uniqueSleep();
        String foreground = uniqueSleep();
        long started = System.nanoTime();
        assertThatThrownBy(() -> host.run(List.of("sh", "-c", "sleep " + background + " & sleep " + foreground),
                NONE, Duration.ofMillis(300))).isInstanceOf(IOException.class).hasMessageContaining("sh did not finish");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
        assertThat(processesWith(background)).isEmpty();
        assertThat(processesWith(foreground)).isEmpty();
    }

    @Test
    void aCommandThatReadsNoStdinIsNotBlockedByMegabytesOfIt() throws IOException {
        Result result = host.run(List.of("sh", "-c", "exit 3"), new byte[8 << 20], Duration.ofSeconds(10));
        assertThat(result.exit()).isEqualTo(3);
    }

    /**
     * A child that inherits stdout and outlives the command never holds the caller longer than the
     * timeout. Which of two endings it gets is the JDK's race, not ours: when the command exits, the
     * JDK's process reaper keeps what is already in the pipe and closes it, unless our reader is
     * already blocked reading it (then the pipe stays open until the child goes). Either way the
     * command's own output is kept or the caller is told why not.
     */
    @Test
    void aChildKeepingTheOutputOpenAfterTheCommandExitedCostsOnlyTheTimeout() throws Exception {
        String marker = uniqueSleep();
        try {
            long started = System.nanoTime();
            try {
                Result result = host.run(List.of("sh", "-c", "echo before; sleep " + marker + " &"), NONE,
                        Duration.ofMillis(500));
                assertThat(result.stdoutText()).isEqualTo("before\n");
                assertThat(result.exit()).isZero();
            } catch (IOException keptOpen) {
                assertThat(keptOpen).hasMessageContaining("kept its output open beyond 500 ms");
            }
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3_000);
        } finally {
            processesNow(marker).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }
}
