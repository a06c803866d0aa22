package io.elasticcloud.api.frontdoor;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 * ({@code Connection: close}, no swallowing): the worker is free at once.
 */
final class UnreadBodyValve extends ValveBase {
    /** Bytes already received that are read rather than closing the connection over them. */
    static final int DRAIN_AT_MOST = 64 * 1024;

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
        if (coyote.isFinished() || drainArrived(request)) {
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
     * Reads what of a Content-Length body is already here, below the servlet layer (whose stream
     * the application may have closed); true if that was all of it.
     */
    private static boolean drainArrived(Request request) {
        if (request.getContentLengthLong() <= 0) {
            return false; // chunked: reading could wait for the rest of a chunk's header
        }
        org.apache.coyote.Request coyote = request.getCoyoteRequest();
        Sink sink = new Sink();
        try {
            long drained = 0;
            while (drained < DRAIN_AT_MOST && !coyote.isFinished()) {
                coyote.action(ActionCode.AVAILABLE, Boolean.TRUE); // a read that does not wait
                if (coyote.getAvailable() <= 0) {
                    return false;
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
