package io.elasticcloud.storage.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A guest agent in a test, on a UNIX socket, for the protocol's edge cases the real one will not
 * produce on demand (silence, replies in single bytes, a connection dropped mid-command). It reads
 * newline-terminated requests (dropping 0xFF bytes, as the real agent's parser resets on them) and
 * hands each to a {@link Handler}, one connection at a time.
 */
final class FakeAgent implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Answers one request (or does not: silence is an answer too). */
    @FunctionalInterface
    interface Handler {
        void handle(JsonNode request, Session session) throws IOException;
    }

    /** One client connection, numbered from 1. */
    static final class Session {
        final int number;
        /** Whether replies go out one byte per write, for a client that must reassemble them. */
        boolean trickle;
        private final SocketChannel channel;

        Session(int number, SocketChannel channel) {
            this.number = number;
            this.channel = channel;
        }

        void send(byte[] bytes) throws IOException {
            for (int at = 0; at < bytes.length; ) {
                int length = trickle ? 1 : bytes.length - at;
                ByteBuffer buffer = ByteBuffer.wrap(bytes, at, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                at += length;
            }
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        /** Answers {@code guest-sync-delimited} as the agent does: 0xFF, then the id echoed. */
        void sentinelAndEcho(JsonNode request) throws IOException {
            send(new byte[] {(byte) 0xFF});
            send("{\"return\": " + request.path("arguments").path("id").asLong() + "}\n");
        }

        void close() throws IOException {
            channel.close();
        }
    }

    private final ServerSocketChannel server;
    private final Handler handler;
    private final List<JsonNode> requests = new ArrayList<>();
    private final List<SocketChannel> clients = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    FakeAgent(Path socket, Handler handler) throws IOException {
        this.handler = handler;
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(this::serve, "fake-agent");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve() {
        int number = 0;
        while (!closed) {
            try (SocketChannel client = server.accept()) {
                synchronized (this) {
                    clients.add(client);
                }
                Session session = new Session(++number, client);
                ByteBuffer in = ByteBuffer.allocate(64 << 10);
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                while (client.read(in) >= 0) {
                    in.flip();
                    while (in.hasRemaining()) {
                        byte b = in.get();
                        if (b == '\n') {
                            JsonNode request = JSON.readTree(line.toByteArray());
                            synchronized (this) {
                                requests.add(request);
                            }
                            handler.handle(request, session);
                            line.reset();
                        } else if (b != (byte) 0xFF) {
                            line.write(b);
                        }
                    }
                    in.clear();
                }
            } catch (IOException e) {
                // the client went away, or a handler closed it: accept the next one
            }
        }
    }

    /** Every request received, in order, the syncs included. */
    synchronized List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /** The requests that executed {@code command}. */
    synchronized List<JsonNode> requests(String command) {
        return requests.stream().filter(r -> r.path("execute").asString().equals(command)).toList();
    }

    synchronized int connections() {
        return clients.size();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        synchronized (this) {
            for (SocketChannel client : clients) {
                client.close();
            }
        }
    }
}
