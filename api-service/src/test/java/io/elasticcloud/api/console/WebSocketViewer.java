package io.elasticcloud.api.console;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A console viewer as noVNC is one, in Java: a WebSocket to {@code /console/websocket} offering the
 * subprotocols {@code binary} and {@code elastic-console.TOKEN}, its binary messages read as one
 * stream, and the RFB client's side of a handshake with security None.
 */
final class WebSocketViewer implements AutoCloseable {
    private static final byte[] CLOSED = new byte[0];

    private final WebSocket socket;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    final DataInputStream in;

    private WebSocketViewer(URI uri, String origin, String token) throws Exception {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .subprotocols("binary", "elastic-console." + token);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        socket = builder.buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                received.add(bytes);
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                closed.complete(status + " " + reason);
                received.add(CLOSED);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete("error " + error);
                received.add(CLOSED);
            }
        }).get(20, TimeUnit.SECONDS);
        in = new DataInputStream(new QueueStream());
    }

    /** Connects; fails (ExecutionException of a WebSocketHandshakeException) when the API refuses. */
    static WebSocketViewer connect(int port, String origin, String token) throws Exception {
        return new WebSocketViewer(URI.create("ws://127.0.0.1:" + port + "/console/websocket"), origin, token);
    }

    String subprotocol() {
        return socket.getSubprotocol();
    }

    void send(byte... bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
    }

    void sendText(String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    /** The handshake up to ServerInit: answers the security types offered; {@code shared} is ClientInit's flag. */
    byte[] handshake(int shared) throws Exception {
        byte[] version = new byte[12];
        in.readFully(version);
        if (!new String(version, StandardCharsets.US_ASCII).equals("RFB 003.008\n")) {
            throw new IOException("not RFB 3.8: " + new String(version, StandardCharsets.US_ASCII));
        }
        send("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        byte[] types = new byte[in.readUnsignedByte()];
        in.readFully(types);
        send((byte) 1);
        if (in.readInt() != 0) {
            throw new IOException("security None refused");
        }
        send((byte) shared);
        return types;
    }

    /** ServerInit: width, height and name; the pixel format skipped. */
    String serverInit() throws IOException {
        int width = in.readUnsignedShort();
        int height = in.readUnsignedShort();
        in.readFully(new byte[16]);
        byte[] name = new byte[in.readInt()];
        in.readFully(name);
        return width + "x" + height + " " + new String(name, StandardCharsets.UTF_8);
    }

    /** Asks for the whole screen and answers the first rectangle's raw pixels. */
    byte[] frame(int width, int height) throws Exception {
        ByteBuffer request = ByteBuffer.allocate(10).put((byte) 3).put((byte) 0).putShort((short) 0).putShort((short) 0)
                .putShort((short) width).putShort((short) height);
        send(request.array());
        if (in.readUnsignedByte() != 0) {
            throw new IOException("not a FramebufferUpdate");
        }
        in.readFully(new byte[3]);
        in.readFully(new byte[8]);
        if (in.readInt() != 0) {
            throw new IOException("not raw encoding");
        }
        byte[] pixels = new byte[width * height * 4];
        in.readFully(pixels);
        return pixels;
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class QueueStream extends InputStream {
        private byte[] current = new byte[0];
        private int at;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (at == current.length) {
                if (current == CLOSED) {
                    return -1;
                }
                try {
                    current = received.poll(15, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                if (current == null) {
                    throw new IOException("nothing from the console for 15 s");
                }
                at = 0;
                if (current == CLOSED) {
                    received.add(CLOSED);
                    return -1;
                }
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }
    }
}
