package io.elasticcloud.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over plain sockets, for what no client library sends: malformed requests, bodies that
 * arrive a byte at a time, connections dropped halfway. Every socket talks to loopback only and
 * may come from another loopback address ({@code 127.0.0.N}), so that a test can play several
 * clients of different source addresses on one machine. Every read has a timeout.
 */
public final class RawHttp {

    /** One answer as it came off the wire. */
    public record Answer(int status, Map<String, String> headers, String body, long nanos) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        public double millis() {
            return nanos / 1e6;
        }

        public String describe() {
            return status + " " + headers + " " + (body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    private final URI base;

    public RawHttp(URI base) {
        if (!base.getHost().equals("127.0.0.1")) {
            throw new IllegalArgumentException("tests talk to loopback only, not " + base);
        }
        this.base = base;
    }

    /** A connected socket from {@code from} (a 127.x.y.z address) with a read timeout. */
    public Socket open(String from, Duration readTimeout) {
        InetAddress source;
        try {
            source = InetAddress.getByName(from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!source.isLoopbackAddress()) {
            throw new IllegalArgumentException("a test client's address must be loopback, not " + from);
        }
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", base.getPort()), 5_000);
            s.setSoTimeout((int) readTimeout.toMillis());
            return s;
        } catch (IOException e) {
            close(s);
            throw new UncheckedIOException("cannot connect from " + from, e);
        }
    }

    /** Sends {@code request} whole on a new connection from {@code from} and reads the answer. */
    public Answer exchange(String from, byte[] request, Duration timeout) {
        long start = System.nanoTime();
        Socket s = open(from, timeout);
        try {
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            return read(s, start);
        } catch (IOException e) {
            throw new UncheckedIOException("no answer from " + base + " within " + timeout, e);
        } finally {
            close(s);
        }
    }

    public Answer exchange(String from, String request, Duration timeout) {
        return exchange(from, request.getBytes(ISO_8859_1), timeout);
    }

    /** A GET with Basic authorization (null: none), {@code Connection: close}. */
    public static String get(String path, String authorization) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Connection: close\r\n\r\n";
    }

    /** The head of a POST whose body is {@code length} bytes, to be sent (or not) afterwards. */
    public static String postHead(String path, String authorization, long length) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n";
    }

    /** Reads one answer: status line, headers, and a body of Content-Length bytes (or up to EOF). */
    public static Answer read(Socket s, long startNanos) throws IOException {
        InputStream in = s.getInputStream();
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("the connection closed without an answer");
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                headers.merge(h.substring(0, colon).strip().toLowerCase(Locale.ROOT), h.substring(colon + 1).strip(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body;
        String length = headers.get("content-length");
        if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in);
        } else {
            body = in.readNBytes(1 << 20);
        }
        Answer answer = new Answer(status, headers, new String(body, UTF_8), System.nanoTime() - startNanos);
        FailureBodies.check(status, answer.body(), "a raw request");
        return answer;
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int guard = 0; guard < 10_000; guard++) {
            String size = line(in);
            if (size == null) {
                break;
            }
            int n = Integer.parseInt(size.split(";")[0].strip(), 16);
            if (n == 0) {
                line(in);
                break;
            }
            out.write(in.readNBytes(n));
            line(in);
        }
        return out.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 64 * 1024; i++) {
            int c = in.read();
            if (c < 0) {
                return b.isEmpty() ? null : b.toString();
            }
            if (c == '\n') {
                int len = b.length();
                return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
            }
            b.append((char) c);
        }
        throw new IOException("a header line longer than 64 KiB");
    }

    public static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }
}
