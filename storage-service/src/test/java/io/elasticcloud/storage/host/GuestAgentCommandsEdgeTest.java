package io.elasticcloud.storage.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.storage.host.HostCommands.Result;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@link GuestAgentCommands} against a {@link FakeAgent}: the edges of the protocol that the real
 * agent does not show on demand. Each case bounds its own duration, since hanging is the failure
 * most of them guard against.
 */
class GuestAgentCommandsEdgeTest {
    static final byte[] NONE = new byte[0];
    static final Duration LONG = Duration.ofSeconds(30);
    static final long PID = 4242;

    @TempDir
    Path dir;
    FakeAgent agent;
    GuestAgentCommands commands;

    @AfterEach
    void close() throws IOException {
        if (commands != null) {
            commands.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    /** An agent that syncs, starts every command as {@link #PID} and reports it exited with {@code out}. */
    static FakeAgent.Handler finishing(String out) {
        return (request, session) -> {
            switch (request.path("execute").asString()) {
                case "guest-sync-delimited" -> session.sentinelAndEcho(request);
                case "guest-exec" -> session.send("{\"return\": {\"pid\": " + PID + "}}\n");
                case "guest-exec-status" -> session.send(exited(0, out));
                default -> session.send("{\"error\": {\"class\": \"CommandNotFound\", \"desc\": \"no\"}}\n");
            }
        };
    }

    static String exited(int code, String out) {
        return "{\"return\": {\"exitcode\": " + code + ", \"out-data\": \""
                + Base64.getEncoder().encodeToString(out.getBytes(StandardCharsets.UTF_8))
                + "\", \"out-truncated\": false, \"exited\": true}}\n";
    }

    GuestAgentCommands connect(FakeAgent.Handler handler, Duration replyTimeout) throws IOException {
        Path socket = dir.resolve("agent.sock");
        agent = new FakeAgent(socket, handler);
        commands = new GuestAgentCommands(socket, replyTimeout);
        return commands;
    }

    static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Test
    void aSilentAgentCostsTheReplyTimeoutNotAHang() throws IOException {
        connect((request, session) -> { }, Duration.ofMillis(200));
        long started = System.nanoTime();
        assertThatThrownBy(() -> commands.run(List.of("true"), NONE, LONG))
                .isInstanceOf(IOException.class).hasMessageContaining("timed out waiting to hear from the guest agent");
        assertThat(millisSince(started)).isBetween(200L, 2_000L);
    }

    @Test
    void aSilentAgentCostsNoMoreThanTheCallsOwnTimeout() throws IOException {
        connect((request, session) -> { }, Duration.ofSeconds(10));
        long started = System.nanoTime();
        assertThatThrownBy(() -> commands.run(List.of("true"), NONE, Duration.ofMillis(300)))
                .isInstanceOf(IOException.class);
        assertThat(millisSince(started)).isBetween(300L, 2_000L);
    }

    @Test
    void aCallerInterruptedWhileTheAgentIsSilentReturnsAtOnce() throws Exception {
        connect((request, session) -> { }, Duration.ofSeconds(20));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                commands.run(List.of("true"), NONE, LONG);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        caller.start();
        Thread.sleep(200);
        long interrupted = System.nanoTime();
        caller.interrupt();
        caller.join(5_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(millisSince(interrupted)).isLessThan(1_000);
        assertThat(failure.get()).isInstanceOf(InterruptedIOException.class);
    }

    @Test
    void repliesArrivingOneByteAtATimeAreReassembled() throws IOException {
        FakeAgent.Handler whole = finishing("trickled");
        connect((request, session) -> {
            session.trickle = true;
            whole.handle(request, session);
        }, Duration.ofSeconds(5));
        assertThat(commands.run(List.of("echo"), NONE, LONG).stdoutText()).isEqualTo("trickled");
    }

    @Test
    void staleSyncAnswersAndGarbageBeforeOursAreSkipped() throws IOException {
        FakeAgent.Handler normal = finishing("in step");
        connect((request, session) -> {
            if (request.path("execute").asString().equals("guest-sync-delimited")) {
                session.send(new byte[] {'x', (byte) 0xFF, '{', '"', '\n', (byte) 0xFF});
                session.send("{\"return\": 7}\n{\"return\": {\"pid\": 1}}\n");
            }
            normal.handle(request, session);
        }, Duration.ofSeconds(5));
        assertThat(commands.run(List.of("echo"), NONE, LONG).stdoutText()).isEqualTo("in step");
    }

    @Test
    void anErrorReplyFailsTheCallButKeepsTheConnection() throws IOException {
        FakeAgent.Handler normal = finishing("");
        connect((request, session) -> {
            if (request.path("arguments").path("path").asString().equals("lvm")) {
                session.send("{\"error\": {\"class\": \"GenericError\", \"desc\": \"Guest agent command failed, error was "
                        + "'Failed to execute child process \u201Clvm\u201D (No such file or directory)'\"}}\n");
            } else {
                normal.handle(request, session);
            }
        }, Duration.ofSeconds(5));
        assertThatThrownBy(() -> commands.run(List.of("lvm", "lvs"), NONE, LONG))
                .isInstanceOf(IOException.class).hasMessageContaining("lvm").hasMessageContaining("No such file");
        assertThat(commands.run(List.of("true"), NONE, LONG).ok()).isTrue();
        assertThat(agent.connections()).isEqualTo(1);
        assertThat(agent.requests("guest-sync-delimited")).hasSize(1);
    }

    @Test
    void aConnectionLostMidCommandFailsThatCallOnlyAndIsNeverRetried() throws IOException {
        FakeAgent.Handler normal = finishing("second");
        connect((request, session) -> {
            if (session.number == 1 && request.path("execute").asString().equals("guest-exec")) {
                session.close(); // the box rebooted under the command
            } else {
                normal.handle(request, session);
            }
        }, Duration.ofSeconds(5));
        assertThatThrownBy(() -> commands.run(List.of("lvm", "lvcreate"), NONE, LONG))
                .isInstanceOf(IOException.class).hasMessageContaining("closed the connection");
        assertThat(commands.run(List.of("echo"), NONE, LONG).stdoutText()).isEqualTo("second");
        assertThat(agent.connections()).isEqualTo(2);
        assertThat(agent.requests("guest-exec")).hasSize(2); // one per call: the lost one was not repeated
    }

    @Test
    void anIdleConnectionTheAgentClosedIsReplacedBeforeTheNextCommand() throws Exception {
        FakeAgent.Handler normal = finishing("again");
        CountDownLatch hungUp = new CountDownLatch(1);
        connect((request, session) -> {
            normal.handle(request, session);
            if (request.path("execute").asString().equals("guest-exec-status") && session.number == 1) {
                session.close();
                hungUp.countDown();
            }
        }, Duration.ofSeconds(5));
        assertThat(commands.run(List.of("echo"), NONE, LONG).stdoutText()).isEqualTo("again");
        // (an agent hanging up while a request is on its way loses that request: it is not retried)
        assertThat(hungUp.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(commands.run(List.of("echo"), NONE, LONG).stdoutText()).isEqualTo("again");
        assertThat(agent.connections()).isEqualTo(2);
        assertThat(agent.requests("guest-exec")).hasSize(2);
    }

    @Test
    void pollingBacksOffFromMillisecondsToTensOfMilliseconds() throws IOException {
        AtomicLong startedAt = new AtomicLong();
        FakeAgent.Handler normal = finishing("late");
        connect((request, session) -> {
            String command = request.path("execute").asString();
            if (command.equals("guest-exec")) {
                startedAt.set(System.nanoTime());
            }
            if (command.equals("guest-exec-status") && millisSince(startedAt.get()) < 300) {
                session.send("{\"return\": {\"exited\": false}}\n");
            } else {
                normal.handle(request, session);
            }
        }, Duration.ofSeconds(5));
        assertThat(commands.run(List.of("sleep", "0.3"), NONE, LONG).stdoutText()).isEqualTo("late");
        // 2, 4, 8, 16, 32, then 50 ms apart: about ten polls in 300 ms (spinning at 2 ms would be 150)
        assertThat(agent.requests("guest-exec-status").size()).isBetween(5, 16);
    }

    @Test
    void aTimedOutCommandIsKilledByItsPidAndTheMessageSaysSo() throws IOException {
        FakeAgent.Handler normal = finishing("");
        connect((request, session) -> {
            JsonNode arguments = request.path("arguments");
            boolean killed = agent.requests("guest-exec").size() > 1;
            if (request.path("execute").asString().equals("guest-exec") && arguments.path("path").asString()
                    .equals("kill")) {
                session.send("{\"return\": {\"pid\": 4343}}\n");
            } else if (request.path("execute").asString().equals("guest-exec-status")
                    && arguments.path("pid").asLong() == PID) {
                session.send(killed ? "{\"return\": {\"signal\": 9, \"exited\": true}}\n"
                        : "{\"return\": {\"exited\": false}}\n");
            } else {
                normal.handle(request, session);
            }
        }, Duration.ofSeconds(5));
        long started = System.nanoTime();
        assertThatThrownBy(() -> commands.run(List.of("lvm", "lvconvert"), NONE, Duration.ofMillis(200)))
                .isInstanceOf(IOException.class).hasMessageContaining("lvm did not finish within 200 ms")
                .hasMessageContaining("it was killed");
        assertThat(millisSince(started)).isLessThan(2_000);
        JsonNode kill = agent.requests("guest-exec").get(1).path("arguments");
        assertThat(kill.path("arg").values()).extracting(JsonNode::asString).containsExactly("-9", "4242");
    }

    @Test
    void stdinTravelsBase64EncodedAndIsRoundTripped() throws IOException {
        byte[] key = new byte[64];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (255 - i);
        }
        connect((request, session) -> {
            switch (request.path("execute").asString()) {
                case "guest-sync-delimited" -> session.sentinelAndEcho(request);
                case "guest-exec" -> session.send("{\"return\": {\"pid\": 1}}\n");
                default -> session.send("{\"return\": {\"exitcode\": 0, \"exited\": true, \"out-data\": \""
                        + Base64.getEncoder().encodeToString(key) + "\"}}\n");
            }
        }, Duration.ofSeconds(5));
        Result result = commands.run(List.of("cryptsetup", "open", "--key-file=-"), key, LONG);
        assertThat(agent.requests("guest-exec").get(0).path("arguments").path("input-data").asString())
                .isEqualTo(Base64.getEncoder().encodeToString(key));
        assertThat(result.stdout()).isEqualTo(key);
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void aClosedSeamRefusesCommands() throws IOException {
        connect(finishing(""), Duration.ofSeconds(5));
        commands.close();
        assertThatThrownBy(() -> commands.run(List.of("true"), NONE, LONG))
                .isInstanceOf(IOException.class).hasMessageContaining("closed");
    }
}
