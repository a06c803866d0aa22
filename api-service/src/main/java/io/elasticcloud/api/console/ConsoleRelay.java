package io.elasticcloud.api.console;

import io.elasticcloud.api.server.ServerConsoles.Target;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCode;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open console: a viewer's WebSocket (binary messages) joined to a guest's VNC that the proxy
 * has already authenticated to ({@link VncUpstream}). To the viewer the proxy is an RFB server
 * offering security type None only; after that handshake the viewer's ClientInit goes on with its
 * shared flag forced on (an exclusive viewer would disconnect the others), and bytes are relayed
 * both ways unchanged. Two threads per console: guest to viewer, and viewer to guest (fed from a
 * bounded queue by the container's message handler).
 */
final class ConsoleRelay extends Endpoint {
    private static final Logger log = LoggerFactory.getLogger(ConsoleRelay.class);
    private static final int CHUNK = 64 * 1024;
    private static final byte[] END = new byte[0];

    private final UUID id = UUID.randomUUID();
    private final long createdAt = System.nanoTime();
    private final Target target;
    private final VncUpstream upstream;
    private final ConsoleProperties properties;
    private final OpenConsoles open;
    private final BlockingQueue<byte[]> fromViewer = new ArrayBlockingQueue<>(32);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Session session;
    private byte[] pending = END;
    private int pendingAt;

    ConsoleRelay(Target target, VncUpstream upstream, ConsoleProperties properties, OpenConsoles open) {
        this.target = target;
        this.upstream = upstream;
        this.properties = properties;
        this.open = open;
    }

    Target target() {
        return target;
    }

    /** Upgraded but never opened by the container within the handshake timeout. */
    boolean neverOpened() {
        return session == null && System.nanoTime() - createdAt > properties.handshakeTimeout().toNanos();
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        session.setMaxIdleTimeout(properties.idleTimeout().toMillis());
        session.setMaxBinaryMessageBufferSize(properties.maxMessage());
        session.setMaxTextMessageBufferSize(1024);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) this::received);
        session.addMessageHandler(String.class,
                (MessageHandler.Whole<String>) text -> close(CloseCodes.CANNOT_ACCEPT, "binary messages only"));
        Thread guestToViewer = new Thread(this::guestToViewer, "console-" + target.server() + "-out");
        guestToViewer.setDaemon(true);
        guestToViewer.start();
        log.info("console {} opened: {}", id, target);
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        end();
    }

    @Override
    public void onError(Session session, Throwable e) {
        log.debug("console {}: {}", id, e.toString());
        end();
    }

    /** Closes the console with {@code reason} shown to the viewer (at most 123 bytes). */
    void close(CloseCode code, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            try {
                s.close(new CloseReason(code, reason));
            } catch (IOException | IllegalStateException e) {
                log.debug("console {}: close: {}", id, e.toString());
            }
        }
        end();
    }

    private void end() {
        if (closed.compareAndSet(false, true)) {
            upstream.close();
            fromViewer.clear();
            fromViewer.offer(END);
            open.closed(this);
            log.info("console {} closed: server {}", id, target.server());
        }
    }

    private void received(ByteBuffer message) {
        if (closed.get() || !message.hasRemaining()) {
            return;
        }
        byte[] copy = new byte[message.remaining()];
        message.get(copy);
        try {
            if (!fromViewer.offer(copy, properties.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                close(CloseCodes.TRY_AGAIN_LATER, "the viewer sends faster than the console takes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(CloseCodes.GOING_AWAY, "the API is stopping");
        }
    }

    private void guestToViewer() {
        try {
            viewerHandshake();
            Thread viewerToGuest = new Thread(this::viewerToGuest, "console-" + target.server() + "-in");
            viewerToGuest.setDaemon(true);
            viewerToGuest.start();
            byte[] buffer = new byte[CHUNK];
            for (int n; (n = upstream.in.read(buffer)) >= 0; ) {
                session.getBasicRemote().sendBinary(ByteBuffer.wrap(buffer, 0, n));
            }
            close(CloseCodes.GOING_AWAY, "the guest's console closed"); // QEMU drops its viewers as the guest ends
        } catch (ViewerGone e) {
            end();
        } catch (IOException | RuntimeException e) {
            if (!closed.get()) {
                log.debug("console {}: {}", id, e.toString());
            }
            close(CloseCodes.GOING_AWAY, limited(e.getMessage() == null ? "the console ended" : e.getMessage()));
        }
    }

    private void viewerToGuest() {
        try {
            if (pendingAt < pending.length) {
                upstream.out.write(pending, pendingAt, pending.length - pendingAt);
                upstream.out.flush();
            }
            for (byte[] bytes; (bytes = fromViewer.take()) != END; ) {
                upstream.out.write(bytes);
                upstream.out.flush();
            }
        } catch (IOException e) {
            close(CloseCodes.GOING_AWAY, "the guest's console closed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            end();
        }
    }

    /**
     * The RFB server's side of the viewer's handshake: our version, the viewer's (3.3, 3.7 or 3.8),
     * security None (3.3: announced; 3.7 and 3.8: offered alone and chosen; 3.8: SecurityResult
     * OK), then its ClientInit passed on as shared.
     */
    private void viewerHandshake() throws IOException {
        send("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        String version = new String(readViewer(12), StandardCharsets.US_ASCII);
        if (!version.matches("RFB 003\\.\\d{3}\n")) {
            throw new IOException("the viewer does not speak RFB");
        }
        int minor = Integer.parseInt(version.substring(8, 11));
        if (minor < 3) {
            throw new IOException("the viewer speaks RFB 3." + minor);
        }
        if (minor < 7) {
            send(new byte[] {0, 0, 0, VncUpstream.NONE});
        } else {
            send(new byte[] {1, VncUpstream.NONE});
            if (readViewer(1)[0] != VncUpstream.NONE) {
                throw new IOException("the viewer chose a security type not offered");
            }
            if (minor >= 8) {
                send(new byte[] {0, 0, 0, 0});
            }
        }
        readViewer(1); // ClientInit: its shared flag, whatever the viewer asked
        upstream.out.write(1);
        upstream.out.flush();
    }

    private byte[] readViewer(int length) throws IOException {
        byte[] bytes = new byte[length];
        long deadline = System.nanoTime() + properties.handshakeTimeout().toNanos();
        for (int at = 0; at < length; ) {
            if (pendingAt == pending.length) {
                byte[] next;
                try {
                    next = fromViewer.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ViewerGone();
                }
                if (next == null) {
                    throw new IOException("the viewer's RFB handshake took longer than "
                            + Duration.ofNanos(properties.handshakeTimeout().toNanos()).toSeconds() + " s");
                }
                if (next == END) {
                    throw new ViewerGone();
                }
                pending = next;
                pendingAt = 0;
            }
            int n = Math.min(length - at, pending.length - pendingAt);
            System.arraycopy(pending, pendingAt, bytes, at, n);
            pendingAt += n;
            at += n;
        }
        return bytes;
    }

    private void send(byte[] bytes) throws IOException {
        session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes));
    }

    private static String limited(String reason) {
        byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 120 ? reason : new String(bytes, 0, 120, StandardCharsets.US_ASCII);
    }

    /** The viewer left (or the console was closed) while the proxy waited for it. */
    private static final class ViewerGone extends IOException {
        ViewerGone() {
            super("the viewer left");
        }
    }
}
