package io.elasticcloud.storage.host;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One connection to a guest agent's UNIX socket, as a byte stream of newline-terminated replies.
 * The channel is non-blocking and every wait goes through a {@link Selector} with a deadline, so
 * a silent agent (a box still booting, a frozen guest) costs the caller its timeout, never a hung
 * thread. Not thread-safe: {@link GuestAgentCommands} holds one request at a time.
 */
final class AgentChannel implements Closeable {
    /** Longest reply kept: 16 MiB of stdout and of stderr, base64-encoded, plus the JSON around them. */
    static final int MAX_REPLY = 48 << 20;

    private final Path socket;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer chunk = ByteBuffer.allocate(64 << 10);
    /** Bytes received and not yet consumed: {@code buffer[start, end)}. */
    private byte[] buffer = new byte[64 << 10];
    private int start;
    private int end;

    private AgentChannel(Path socket, SocketChannel channel, Selector selector) throws IOException {
        this.socket = socket;
        this.channel = channel;
        this.selector = selector;
        this.key = channel.register(selector, SelectionKey.OP_CONNECT);
    }

    /** Connects to the agent's socket, waiting until {@code deadline} (a {@link System#nanoTime()}). */
    static AgentChannel connect(Path socket, long deadline) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = null;
        try {
            channel.configureBlocking(false);
            selector = Selector.open();
            AgentChannel agent = new AgentChannel(socket, channel, selector);
            if (!channel.connect(UnixDomainSocketAddress.of(socket))) {
                agent.await(SelectionKey.OP_CONNECT, deadline, "connect");
                channel.finishConnect();
            }
            return agent;
        } catch (IOException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw new IOException("cannot connect to the guest agent at " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Writes all of {@code bytes}. */
    void send(byte[] bytes, long deadline) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                await(SelectionKey.OP_WRITE, deadline, "send to");
            }
        }
    }

    /**
     * Discards everything up to and including the next {@code sentinel} byte (the 0xFF the agent
     * puts before its answer to {@code guest-sync-delimited}).
     */
    void skipPast(byte sentinel, long deadline) throws IOException {
        while (true) {
            for (int i = start; i < end; i++) {
                if (buffer[i] == sentinel) {
                    start = i + 1;
                    return;
                }
            }
            start = end;
            fill(deadline);
        }
    }

    /** The next reply, without its newline. */
    byte[] readLine(long deadline) throws IOException {
        int scanned = start;
        while (true) {
            for (int i = scanned; i < end; i++) {
                if (buffer[i] == '\n') {
                    byte[] line = Arrays.copyOfRange(buffer, start, i);
                    start = i + 1;
                    return line;
                }
            }
            scanned = end;
            if (end - start >= MAX_REPLY) {
                throw new IOException("the guest agent at " + socket + " sent a reply longer than " + MAX_REPLY
                        + " bytes");
            }
            int offset = scanned - start;
            fill(deadline);
            scanned = start + offset;
        }
    }

    /**
     * Whether the connection is still usable for a new request: open, not closed by the agent,
     * and with nothing unread (a stray byte means the stream is out of step with our requests).
     */
    boolean idle() {
        if (start < end || !channel.isOpen()) {
            return false;
        }
        try {
            key.interestOps(SelectionKey.OP_READ);
            selector.selectedKeys().clear();
            if (selector.selectNow() == 0) {
                return true;
            }
            return false; // readable means end of stream or bytes nobody asked for
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads what the agent has sent, waiting until {@code deadline}. */
    private void fill(long deadline) throws IOException {
        if (start == end) {
            start = 0;
            end = 0;
        }
        chunk.clear();
        int read;
        while ((read = channel.read(chunk)) == 0) {
            await(SelectionKey.OP_READ, deadline, "hear from");
        }
        if (read < 0) {
            throw new EOFException("the guest agent at " + socket + " closed the connection");
        }
        if (end + read > buffer.length) {
            int live = end - start;
            byte[] bigger = live + read > buffer.length ? new byte[Math.max(2 * buffer.length, live + read)] : buffer;
            System.arraycopy(buffer, start, bigger, 0, live);
            buffer = bigger;
            start = 0;
            end = live;
        }
        System.arraycopy(chunk.array(), 0, buffer, end, read);
        end += read;
    }

    /** Waits for {@code op} until {@code deadline}; a wakeup that brings nothing waits again. */
    private void await(int op, long deadline, String what) throws IOException {
        key.interestOps(op);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("timed out waiting to " + what + " the guest agent at " + socket);
            }
            selector.selectedKeys().clear();
            if (selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))) > 0) {
                return;
            }
            if (Thread.currentThread().isInterrupted()) {
                // select returns at once while the flag is set: waiting on would spin
                throw new InterruptedIOException("interrupted while waiting to " + what + " the guest agent at "
                        + socket);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            selector.close();
        }
    }
}
