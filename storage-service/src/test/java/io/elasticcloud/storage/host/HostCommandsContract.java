package io.elasticcloud.storage.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.storage.host.HostCommands.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link HostCommands} promises the storage backends, run against each real one: this
 * machine's processes and a guest agent. The fake is scripted, so it promises only what a test
 * scripts; these are the behaviours its scripts must stay within (a non-zero exit is a result, a
 * command that cannot run or outlives its timeout is an {@link IOException}).
 */
public abstract class HostCommandsContract {
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);
    protected static final byte[] NONE = new byte[0];

    @TempDir
    protected Path dir;
    protected HostCommands host;

    /** The implementation under test, running its commands on this machine (directly or through an agent). */
    protected abstract HostCommands open(Path dir) throws Exception;

    @BeforeEach
    void openHost() throws Exception {
        host = open(dir);
    }

    @AfterEach
    void closeHost() throws Exception {
        if (host instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    protected Result run(String... argv) throws IOException {
        return host.run(List.of(argv), NONE, TIMEOUT);
    }

    @Test
    void stdinComesBackThroughCatByteForByte() throws IOException {
        byte[] everyByte = new byte[256 * 4];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        Result result = host.run(List.of("cat"), everyByte, TIMEOUT);
        assertThat(result.ok()).isTrue();
        assertThat(result.stdout()).isEqualTo(everyByte);
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void emptyStdinIsEndOfFileRightAway() throws IOException {
        Result result = host.run(List.of("cat"), NONE, Duration.ofSeconds(5));
        assertThat(result).isEqualTo(new Result(0, NONE, NONE));
    }

    @ParameterizedTest(name = "exit {0}")
    @ValueSource(ints = {0, 1, 2, 5, 42, 255})
    void anExitStatusIsAResultNotAnException(int status) throws IOException {
        Result result = run("sh", "-c", "exit " + status);
        assertThat(result.exit()).isEqualTo(status);
        assertThat(result.ok()).isEqualTo(status == 0);
    }

    @Test
    void stdoutAndStderrStaySeparate() throws IOException {
        Result result = run("sh", "-c", "echo out; echo 'no such volume group' >&2; exit 5");
        assertThat(result.exit()).isEqualTo(5);
        assertThat(result.stdoutText()).isEqualTo("out\n");
        assertThat(result.stderrText()).isEqualTo("no such volume group");
    }

    @Test
    void aProcessKilledBySignalExitsWith128PlusTheSignal() throws IOException {
        assertThat(run("sh", "-c", "kill -9 $$").exit()).isEqualTo(128 + 9);
        assertThat(run("sh", "-c", "kill -15 $$").exit()).isEqualTo(128 + 15);
    }

    @Test
    void argvReachesTheCommandUnparsed() throws IOException {
        Result result = run("printf", "%s|", "a b", "$HOME", "'quoted'", "semi;colon", "");
        assertThat(result.stdoutText()).isEqualTo("a b|$HOME|'quoted'|semi;colon||");
    }

    @Test
    void aMissingProgramIsAnIOExceptionNamingIt() {
        assertThatThrownBy(() -> run("/nonexistent/lvm", "lvs"))
                .isInstanceOf(IOException.class).hasMessageContaining("/nonexistent/lvm");
    }

    @Test
    void fourMebibytesEachWayDoNotDeadlock() throws IOException {
        byte[] input = new byte[4 << 20];
        new Random(7).nextBytes(input);
        Result echoed = host.run(List.of("cat"), input, TIMEOUT);
        assertThat(echoed.exit()).isZero();
        assertThat(echoed.stdout()).isEqualTo(input);

        Result both = run("sh", "-c", "head -c 4194304 /dev/zero; head -c 1048576 /dev/zero >&2");
        assertThat(both.exit()).isZero();
        assertThat(both.stdout()).hasSize(4 << 20);
        assertThat(both.stderr()).hasSize(1 << 20);
    }

    @Test
    void aCommandOutlivingItsTimeoutIsKilledWithinBounds() throws Exception {
        String marker = uniqueSleep();
        long started = System.nanoTime();
        assertThatThrownBy(() -> host.run(List.of("sleep", marker), NONE, Duration.ofMillis(500)))
                .isInstanceOf(IOException.class).hasMessageContaining("sleep").hasMessageContaining("500 ms");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(tookMillis).isBetween(500L, 4_000L);
        assertThat(processesWith(marker)).isEmpty();
        assertThat(run("echo", "still usable").stdoutText()).isEqualTo("still usable\n");
    }

    /** A {@code sleep} duration no other process has: a marker to find its processes by. */
    protected static String uniqueSleep() {
        return "3" + ThreadLocalRandom.current().nextInt(100, 999) + "." + ThreadLocalRandom.current().nextInt(1000, 9999);
    }

    /** Processes (zombies aside) whose command line has {@code marker}, waiting up to 2 s for them to go. */
    protected static List<Long> processesWith(String marker) throws InterruptedException {
        List<Long> found = processesNow(marker);
        for (int i = 0; i < 40 && !found.isEmpty(); i++) {
            Thread.sleep(50);
            found = processesNow(marker);
        }
        return found;
    }

    /** Processes (zombies aside) whose command line has {@code marker} now. */
    protected static List<Long> processesNow(String marker) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> cmdline(p).contains(marker))
                    .map(p -> Long.parseLong(p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cmdline(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
        } catch (IOException gone) {
            return "";
        }
    }
}
