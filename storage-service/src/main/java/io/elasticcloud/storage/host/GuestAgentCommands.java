package io.elasticcloud.storage.host;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;

/**
 * Runs commands inside a storage box through its qemu-guest-agent, whose UNIX socket (a
 * virtio-serial channel on the QEMU side) is at {@code socket}: {@code guest-exec} with the argv
 * and stdin, then {@code guest-exec-status} polled with a short backoff until the process exits.
 *
 * <p>The agent serves one conversation, so requests go one at a time. A connection is opened
 * lazily and synchronised with {@code guest-sync-delimited} and a random id, which skips whatever
 * stale bytes the channel still held (replies meant for an earlier client, half a message from
 * before a reboot). After an I/O error, or when the agent closed the connection while idle (the
 * box rebooted), the next call connects again. A request already sent is never repeated: its
 * command may have run.
 *
 * <p>Every wait is bounded: by the call's timeout, and each reply also by {@code replyTimeout},
 * so a silent agent fails a call quickly. On timeout the process in the box is killed
 * ({@code kill -9 PID}, best effort: a child it started survives). The child's environment is the
 * agent's own, unchanged: the agent's {@code env} argument would replace it whole, and a busybox
 * box has no locales to switch off anyway.
 */
public final class GuestAgentCommands implements HostCommands, Closeable {
    /** The default bound on one reply of the agent: it answers in under a millisecond when alive. */
    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    static final long FIRST_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Time allowed to kill a command that timed out, and to collect its status from the agent. */
    private static final Duration KILL_BUDGET = Duration.ofSeconds(3);

    private final Path socket;
    private final Duration replyTimeout;
    private final ReentrantLock lock = new ReentrantLock(true);
    private AgentChannel channel; // guarded by lock
    private boolean closed; // guarded by lock

    public GuestAgentCommands(Path socket) {
        this(socket, REPLY_TIMEOUT);
    }

    public GuestAgentCommands(Path socket, Duration replyTimeout) {
        this.socket = socket;
        this.replyTimeout = replyTimeout;
    }

    @Override
    public Result run(List<String> argv, byte[] stdin, Duration timeout) throws IOException {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("no command given");
        }
        Objects.requireNonNull(stdin, "stdin");
        String program = argv.get(0);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IOException(program + " did not start within " + timeout.toMillis()
                        + " ms: the guest agent at " + socket + " stayed busy with other commands");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the guest agent at " + socket);
        }
        try {
            if (closed) {
                throw new IOException("the guest agent connection to " + socket + " is closed");
            }
            byte[] request = AgentProtocol.exec(argv, stdin);
            long pid;
            try {
                pid = AgentProtocol.returned(request(request, deadline), "to run " + program).path("pid").asLong();
            } finally {
                Arrays.fill(request, (byte) 0);
            }
            return await(program, pid, deadline, timeout);
        } finally {
            lock.unlock();
        }
    }

    /** Polls the status of {@code pid} until it exits or the deadline passes, then kills it. */
    private Result await(String program, long pid, long deadline, Duration timeout) throws IOException {
        long pause = FIRST_POLL_NANOS;
        try {
            while (true) {
                Optional<JsonNode> exited = status(pid, program, deadline);
                if (exited.isPresent()) {
                    return AgentProtocol.result(exited.get(), program);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
                pause = Math.min(2 * pause, MAX_POLL_NANOS);
            }
        } catch (InterruptedException e) {
            kill(pid);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + program + " ran in the box; it was killed");
        } catch (SocketTimeoutException e) {
            if (System.nanoTime() < deadline) {
                throw e; // the agent went silent: the command's own time is not up
            }
            // the agent's reply was still due at the deadline: the command timed out all the same
        }
        String killed = kill(pid);
        throw new IOException(program + " did not finish within " + timeout.toMillis() + " ms in the box at "
                + socket + "; " + killed);
    }

    /** The status of {@code pid} if it has exited. */
    private Optional<JsonNode> status(long pid, String program, long deadline) throws IOException {
        JsonNode status = AgentProtocol.returned(request(AgentProtocol.execStatus(pid), deadline),
                "the status of " + program);
        return status.path("exited").asBoolean(false) ? Optional.of(status) : Optional.empty();
    }

    /**
     * Kills a command that timed out and waits (briefly) for the agent to see it exit, which also
     * frees the agent's record of it. Says what happened, for the caller's exception message.
     */
    private String kill(long pid) {
        long deadline = System.nanoTime() + KILL_BUDGET.toNanos();
        try {
            byte[] request = AgentProtocol.exec(List.of("kill", "-9", Long.toString(pid)), new byte[0]);
            long killer = AgentProtocol.returned(request(request, deadline), "to kill " + pid).path("pid").asLong();
            boolean gone = false;
            long pause = FIRST_POLL_NANOS;
            while (System.nanoTime() < deadline && !gone) {
                TimeUnit.NANOSECONDS.sleep(pause);
                pause = Math.min(2 * pause, MAX_POLL_NANOS);
                gone = status(pid, "the killed command", deadline).isPresent();
            }
            while (System.nanoTime() < deadline && status(killer, "kill", deadline).isEmpty()) {
                TimeUnit.NANOSECONDS.sleep(FIRST_POLL_NANOS);
            }
            return gone ? "it was killed" : "it was sent SIGKILL but had not exited " + KILL_BUDGET.toMillis()
                    + " ms later";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "killing it was interrupted";
        } catch (IOException e) {
            return "killing it failed: " + e.getMessage();
        }
    }

    /**
     * Sends one request and reads its reply on a synchronised connection. An I/O error drops the
     * connection (the next request connects again); an error reply of the agent does not.
     */
    private JsonNode request(byte[] request, long deadline) throws IOException {
        AgentChannel agent = connected(deadline);
        try {
            agent.send(request, deadline);
            return AgentProtocol.parse(agent.readLine(replyDeadline(deadline)));
        } catch (IOException e) {
            disconnect();
            throw e;
        }
    }

    /** The open connection if it is still in step, or a new one after {@code guest-sync-delimited}. */
    private AgentChannel connected(long deadline) throws IOException {
        if (channel != null && channel.idle()) {
            return channel;
        }
        disconnect();
        long syncDeadline = replyDeadline(deadline);
        AgentChannel fresh = AgentChannel.connect(socket, syncDeadline);
        try {
            sync(fresh, syncDeadline);
        } catch (IOException e) {
            fresh.close();
            throw e;
        }
        channel = fresh;
        return fresh;
    }

    /**
     * Sends {@code 0xFF} (the agent drops any half-read request) and {@code guest-sync-delimited},
     * then reads past each {@code 0xFF} the agent sends until the line after one echoes our id:
     * everything before it, including its error reply to our {@code 0xFF}, is stale.
     */
    private void sync(AgentChannel agent, long deadline) throws IOException {
        long id = ThreadLocalRandom.current().nextLong(1, 1L << 53);
        agent.send(AgentProtocol.sync(id), deadline);
        while (true) {
            agent.skipPast(AgentProtocol.SENTINEL, deadline);
            byte[] line = agent.readLine(deadline);
            try {
                JsonNode echoed = AgentProtocol.parse(line).path("return");
                if (echoed.canConvertToLong() && echoed.asLong() == id) {
                    return;
                }
            } catch (IOException garbage) {
                // a 0xFF inside stale bytes, followed by no JSON: keep looking
            }
        }
    }

    private long replyDeadline(long deadline) {
        return Math.min(deadline, System.nanoTime() + replyTimeout.toNanos());
    }

    private void disconnect() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the connection is being dropped anyway
            }
            channel = null;
        }
    }

    /** Closes the connection, after the command running now (if any) has finished. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            disconnect();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "GuestAgentCommands[" + socket + "]";
    }
}
