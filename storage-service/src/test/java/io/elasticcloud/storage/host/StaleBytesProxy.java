package io.elasticcloud.storage.host;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A UNIX socket in front of an agent that replays what a reused virtio-serial channel can hold
 * when a client connects: toward the client, replies meant for an earlier one (a stale sync
 * answer with its 0xFF, a stale exec answer, half a reply, random bytes); toward the agent, half
 * a request an earlier client never finished. Then it forwards both ways, one connection at a time.
 */
final class StaleBytesProxy implements AutoCloseable {
    static final byte[] TO_CLIENT = concat(new byte[] {(byte) 0xFF}, "{\"return\": 12345}\n{\"return\": {\"pid\": 1}}\n"
            .getBytes(), new byte[] {0x00, 0x7F, (byte) 0xFF, (byte) 0xFE, '\n', (byte) 0xFF, '{', '\n'},
            "{\"return\": {\"exitcode\": 0, \"out-da".getBytes());
    static final byte[] TO_AGENT = "{\"execute\": \"guest-exec\", \"arguments\": {\"path\": \"rm".getBytes();

    private final ServerSocketChannel server;
    private final Path agent;
    private final List<SocketChannel> open = new ArrayList<>();
    private final Thread acceptor;
    private volatile boolean closed;

    StaleBytesProxy(Path socket, Path agent) throws IOException {
        this.agent = agent;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        acceptor = new Thread(this::accept, "stale-bytes-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!closed) {
            try {
                SocketChannel client = server.accept();
                SocketChannel upstream = SocketChannel.open(UnixDomainSocketAddress.of(agent));
                synchronized (open) {
                    open.add(client);
                    open.add(upstream);
                }
                writeAll(client, ByteBuffer.wrap(TO_CLIENT));
                writeAll(upstream, ByteBuffer.wrap(TO_AGENT));
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /**
     * Copies one direction on its own thread, with the channels themselves: their stream adapters
     * would lock the whole channel while a read waits, and so block the other direction's writes.
     */
    private static void pump(SocketChannel from, SocketChannel to) {
        Thread thread = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    writeAll(to, buffer);
                    buffer.clear();
                }
            } catch (IOException closed) {
                // either side went away: so does this direction
            }
        }, "stale-bytes-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void writeAll(SocketChannel to, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            to.write(bytes);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (open) {
            for (SocketChannel channel : open) {
                channel.close();
            }
        }
    }
}
