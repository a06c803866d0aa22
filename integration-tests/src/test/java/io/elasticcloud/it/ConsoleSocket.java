package io.elasticcloud.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The browser console's WebSocket as a viewer (noVNC) opens it: {@code /console/websocket} with
 * the subprotocols {@code binary} and {@code elastic-console.TOKEN}, an Origin header, its binary
 * messages read as one stream ({@link #in}) and written from one ({@link #out}), for
 * {@link RfbClient#viewThroughProxy} to speak RFB over.
 */
final class ConsoleSocket implements AutoCloseable {
    private static final byte[] CLOSED = new byte[0];

    private final WebSocket socket;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    final DataInputStream in = new DataInputStream(new Received());
    final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                socket.sendBinary(ByteBuffer.wrap(b.clone(), off, len), true).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("the console's WebSocket did not take a message: " + e, e);
            }
        }
    };

    /** Connects to the API at {@code base}; fails with a WebSocketHandshakeException (in an ExecutionException) when refused. */
    ConsoleSocket(URI base, String origin, String token) throws Exception {
        URI uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/console/websocket");
        socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .header("Origin", origin).subprotocols("binary", "elastic-console." + token)
                .buildAsync(uri, new WebSocket.Listener() {
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
                }).get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        socket.abort();
    }

    private final class Received extends InputStream {
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
                    current = received.poll(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                if (current == null) {
                    throw new IOException("nothing from the console for 30 s");
                }
                at = 0;
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }
    }
}
