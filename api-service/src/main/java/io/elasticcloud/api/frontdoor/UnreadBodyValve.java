package io.elasticcloud.api.frontdoor;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.net.ApplicationBufferHandler;

/**
 * After a request has been answered, Tomcat reads ("swallows") whatever of its body the
 * application left unread, so that the connection can carry the next request: up to 2 MiB, at
 * whatever pace the client sends it, on a worker thread. A refused request (401, 409, ...) whose
 * client trickles its body one byte every few seconds would so hold a worker for hours. Here the
 * part of the body that has already arrived is read (without waiting: small bodies keep their
 * connection), and if more is still to come the connection is closed instead
 * ({@code Connection: close}, no swallowing): the worker is free at once. An answer already sent
 * (an error page is, by the time this runs) can no longer say {@code Connection: close}, and a
 * client told nothing sends its next request into the closed connection and fails it: then a
 * small body is waited for, at most {@link #PATIENCE}, before the connection is closed.
 */
final class UnreadBodyValve extends ValveBase {
    /** Bytes already received that are read rather than closing the connection over them. */
    static final int DRAIN_AT_MOST = 64 * 1024;
    /** How long the rest of a small body is waited for once the answer is sent. */
    static final Duration PATIENCE = Duration.ofSeconds(1);

    UnreadBodyValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (request.isAsync()) {
            return;
        }
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        boolean told = !response.isCommitted();
        if (coyote.isFinished() || drain(request, told || request.getContentLengthLong() > DRAIN_AT_MOST
                ? Duration.ZERO : PATIENCE)) {
            return;
        }
        if (!response.isCommitted()) {
            response.setHeader("Connection", "close");
            try {
                // sent before swallowing is turned off: Tomcat takes that for an error and turns a
                // status below 400 still in the buffer into a 500
                response.flushBuffer();
            } catch (IOException e) {
                // the client is gone: nothing to keep from it
            }
        }
        coyote.action(ActionCode.DISABLE_SWALLOW_INPUT, null);
    }

    /**
     * Reads what of a Content-Length body arrives within {@code patience}, below the servlet layer
     * (whose stream the application may have closed); true if that was all of it.
     */
    private static boolean drain(Request request, Duration patience) {
        if (request.getContentLengthLong() <= 0) {
            return false; // chunked: reading could wait for the rest of a chunk's header
        }
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        Sink sink = new Sink();
        long until = System.nanoTime() + patience.toNanos();
        try {
            long drained = 0;
            while (drained < DRAIN_AT_MOST && !coyote.isFinished()) {
                coyote.action(ActionCode.AVAILABLE, Boolean.TRUE); // a read that does not wait
                if (coyote.getAvailable() <= 0) {
                    if (System.nanoTime() - until >= 0) {
                        return false;
                    }
                    Thread.sleep(1);
                    continue;
                }
                int n = coyote.doRead(sink);
                if (n < 0) {
                    break;
                }
                drained += n;
            }
            return coyote.isFinished();
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Where the drained bytes go: nowhere. */
    private static final class Sink implements ApplicationBufferHandler {
        private ByteBuffer buffer = ByteBuffer.allocate(0);

        @Override
        public void setByteBuffer(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer getByteBuffer() {
            return buffer;
        }

        @Override
        public void expand(int size) {
            // nothing is kept
        }
    }
}
