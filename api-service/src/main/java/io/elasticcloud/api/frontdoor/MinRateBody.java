package io.elasticcloud.api.frontdoor;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * A request whose body must keep up a minimum rate: after {@code grace}, the bytes read so far
 * must average at least {@code minRate} per second since the application began to read it, else the next read
 * fails with {@link SlowBodyException} (Apache's mod_reqtimeout does the same: 20 s, then 500
 * bytes/s). A client that sends nothing at all is cut by the connector's read timeout
 * ({@code server.tomcat.connection-timeout}), so no body holds a worker thread for long at a
 * crawl. The check costs one clock read per read call.
 */
final class MinRateBody extends HttpServletRequestWrapper {
    private final long graceNanos;
    private final long minRate;
    private final LongSupplier clock;
    private long start;
    private ServletInputStream stream;
    private BufferedReader reader;

    MinRateBody(HttpServletRequest request, long graceNanos, long minRate, LongSupplier clock) {
        super(request);
        this.graceNanos = graceNanos;
        this.minRate = minRate;
        this.clock = clock;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (stream == null) {
            // the clock starts when the application first reads: time it spent before is not the client's
            start = clock.getAsLong();
            stream = new Timed(super.getInputStream());
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (reader == null) {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
            reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
        return reader;
    }

    /** Throws when the body so far is too slow; {@code read} bytes have arrived. */
    void check(long read) throws SlowBodyException {
        long elapsed = clock.getAsLong() - start;
        if (elapsed <= graceNanos) {
            return;
        }
        // owed: what minRate over the time since the grace would have brought
        double owed = minRate * ((elapsed - graceNanos) / 1e9);
        if (read < owed) {
            throw new SlowBodyException(String.format(
                    "the request body arrived too slowly (%d bytes in %.0f s; at least %d bytes/s after the first %d s)",
                    read, elapsed / 1e9, minRate, graceNanos / 1_000_000_000L));
        }
    }

    private final class Timed extends ServletInputStream {
        private final ServletInputStream in;
        private long read;

        Timed(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                read++;
                check(read);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n >= 0) {
                read += n;
                check(read);
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
