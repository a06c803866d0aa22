package io.elasticcloud.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection over a plain socket, loopback only: the data-path client.
 * Plain sockets rather than java.net.http so that the client, which shares the machine's cores with
 * the system under test, costs as little as possible: the request body is written from the
 * caller's array, the reply body is read into one reused buffer. Replies with Content-Length or
 * chunked bodies; a {@code Connection: close} reply closes the socket and the next request
 * reconnects.
 */
final class HttpConnection implements Closeable {
    private static final int TIMEOUT_MS = 120_000;

    /** A reply: status and body ({@link #body} is valid up to {@link #length}, until the next request). */
    static final class Reply {
        int status;
        int length;
        byte[] body = new byte[64 * 1024];

        String text() {
            return new String(body, 0, length, StandardCharsets.UTF_8);
        }
    }

    private final URI base;
    private final String authorization;
    private final Reply reply = new Reply();
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(URI base, String authorization) {
        if (!"127.0.0.1".equals(base.getHost())) {
            throw new IllegalArgumentException("the benchmark talks to loopback only, not " + base);
        }
        this.base = base;
        this.authorization = authorization;
    }

    /** Sends one request (body {@code null}: none) and reads the whole reply. */
    Reply exchange(String method, String path, String[] headers, byte[] body) throws IOException {
        if (socket == null) {
            connect();
        }
        StringBuilder h = new StringBuilder(256)
                .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                .append("Authorization: ").append(authorization).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        h.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        readReply(method);
        return reply;
    }

    private void readReply(String method) throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP reply: " + status);
        }
        reply.status = Integer.parseInt(status.substring(9, 12));
        long contentLength = -1;
        boolean chunked = false;
        boolean close = status.startsWith("HTTP/1.0");
        for (String line = line(); !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        reply.length = 0;
        if (method.equals("HEAD") || reply.status == 204 || reply.status == 304 || reply.status / 100 == 1) {
            // no body
        } else if (chunked) {
            for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                 size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                readBody(size);
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (contentLength >= 0) {
            readBody(contentLength);
        } else {
            readBody(Long.MAX_VALUE); // to the end of the stream
            close = true;
        }
        if (close) {
            close();
        }
    }

    private void readBody(long size) throws IOException {
        long left = size;
        while (left > 0) {
            if (reply.length == reply.body.length) {
                reply.body = Arrays.copyOf(reply.body, reply.body.length * 2);
            }
            int n = in.read(reply.body, reply.length, (int) Math.min(left, reply.body.length - reply.length));
            if (n < 0) {
                if (size == Long.MAX_VALUE) {
                    return;
                }
                throw new EOFException("reply body ended after " + (size - left) + " of " + size + " bytes");
            }
            reply.length += n;
            left -= n;
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (c != '\r') {
                b.append((char) c);
            }
            if (b.length() > 16384) {
                throw new IOException("header line too long");
            }
        }
        return b.toString();
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(TIMEOUT_MS);
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(s.getOutputStream(), 8 * 1024);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
