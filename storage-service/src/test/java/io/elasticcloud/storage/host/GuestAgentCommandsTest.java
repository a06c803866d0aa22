package io.elasticcloud.storage.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.storage.host.HostCommands.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link GuestAgentCommands} against the real qemu-guest-agent, run on this machine in
 * unix-listen mode instead of inside a box: the same protocol and the same agent code, so what
 * it runs here it would run in the box. Fails (never skips) without package qemu-guest-agent.
 */
@Tag("qemu")
class GuestAgentCommandsTest extends HostCommandsContract {
    private QemuGuestAgent agent;

    @Override
    protected HostCommands open(Path dir) throws Exception {
        agent = QemuGuestAgent.start(dir);
        return new GuestAgentCommands(agent.socket());
    }

    @AfterEach
    void stopAgent() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void theAgentRestartedBetweenTwoCallsIsReconnectedTo() throws Exception {
        assertThat(run("echo", "before").stdoutText()).isEqualTo("before\n");
        long before = agent.pid();
        agent.restart();
        assertThat(agent.pid()).isNotEqualTo(before);
        assertThat(run("echo", "after").stdoutText()).isEqualTo("after\n");
    }

    @Test
    void aCallWhileTheAgentIsDownFailsAndTheNextOneAfterItCameBackWorks() throws Exception {
        assertThat(run("true").ok()).isTrue();
        agent.stop();
        assertThatThrownBy(() -> run("true")).isInstanceOf(IOException.class)
                .hasMessageContaining(agent.socket().toString());
        agent.restart();
        assertThat(run("true").ok()).isTrue();
    }

    @Test
    void staleBytesOnTheChannelBeforeTheSyncAreSkipped() throws Exception {
        Path front = dir.resolve("front.sock");
        try (StaleBytesProxy proxy = new StaleBytesProxy(front, agent.socket());
                GuestAgentCommands throughProxy = new GuestAgentCommands(front)) {
            Result result = throughProxy.run(List.of("cat"), "key material".getBytes(StandardCharsets.UTF_8), TIMEOUT);
            assertThat(result.stdoutText()).isEqualTo("key material");
            assertThat(throughProxy.run(List.of("sh", "-c", "exit 4"), NONE, TIMEOUT).exit()).isEqualTo(4);
        }
    }

    @Test
    void aTimedOutCommandIsKilledInTheBoxAndTheAgentStaysUsable() throws Exception {
        String marker = uniqueSleep();
        assertThatThrownBy(() -> host.run(List.of("sleep", marker), NONE, Duration.ofMillis(300)))
                .isInstanceOf(IOException.class).hasMessageContaining("did not finish within 300 ms")
                .hasMessageContaining("it was killed");
        assertThat(processesNow(marker)).isEmpty();
        assertThat(run("echo", "next").stdoutText()).isEqualTo("next\n");
    }

    @Test
    void callsFromManyThreadsTakeTurnsOnTheOneChannel() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Result>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                byte[] input = ("call " + i).getBytes(StandardCharsets.UTF_8);
                results.add(threads.submit(() -> host.run(List.of("cat"), input, TIMEOUT)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(60, TimeUnit.SECONDS).stdoutText()).isEqualTo("call " + i);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theRoundTripOfTrueIsMilliseconds() throws IOException {
        long[] nanos = new long[30];
        for (int i = 0; i < nanos.length; i++) {
            long started = System.nanoTime();
            assertThat(run("true").ok()).isTrue();
            nanos[i] = System.nanoTime() - started;
        }
        Arrays.sort(nanos);
        long medianMicros = nanos[nanos.length / 2] / 1000;
        System.out.println("guest-exec round trip of true through qemu-ga on the host: median " + medianMicros
                + " us, max " + nanos[nanos.length - 1] / 1000 + " us");
        assertThat(medianMicros).isLessThan(200_000);
    }
}
