package io.elasticcloud.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain loopback socket, one request per connection, byte for byte as given: the
 * hostile-input fuzzer needs headers, lengths and bodies that {@code java.net.http} refuses to
 * send (a {@code Content-Length} of its own, a chunked body, any method, any path).
 */
final class FuzzHttp {
    /** What came back; {@code status} -1 when the connection closed without a status line. */
    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_REPLY = 64 * 1024 * 1024;

    private final int port;
    private final Duration timeout;

    FuzzHttp(int port, Duration timeout) {
        this.port = port;
        this.timeout = timeout;
    }

    Reply exchange(byte[] request, boolean head) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // the server may answer and close before it has read a body it refuses; read that answer
            }
            Reply reply = parse(readAll(socket.getInputStream()), head);
            FailureBodies.check(reply.status(), reply.text(), "a fuzzed request");
            return reply;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
                if (all.size() > MAX_REPLY) {
                    throw new IOException("reply larger than " + MAX_REPLY + " bytes");
                }
            }
        } catch (java.net.SocketException e) {
            // a reset after the reply (the server closed with our body unread) ends the reply
            if (all.size() == 0) {
                throw e;
            }
        }
        return all.toByteArray();
    }

    static Reply parse(byte[] raw, boolean head) throws IOException {
        int end = indexOf(raw, "\r\n\r\n".getBytes(ISO_8859_1), 0);
        if (end < 0) {
            return new Reply(-1, Map.of(), raw);
        }
        String[] lines = new String(raw, 0, end, ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: " + lines[0]);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
            }
        }
        byte[] rest = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        boolean chunked = headers.getOrDefault("transfer-encoding", List.of()).stream()
                .anyMatch(v -> v.equalsIgnoreCase("chunked"));
        byte[] body = head ? new byte[0] : chunked ? dechunk(rest) : rest;
        return new Reply(Integer.parseInt(status[1]), headers, body);
    }

    private static byte[] dechunk(byte[] raw) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (at < raw.length) {
            int lineEnd = indexOf(raw, new byte[] {'\r', '\n'}, at);
            if (lineEnd < 0) {
                throw new IOException("a chunk size line without its end");
            }
            String size = new String(raw, at, lineEnd - at, ISO_8859_1).split(";")[0].trim();
            int length = Integer.parseInt(size, 16);
            if (length == 0) {
                break;
            }
            body.write(raw, lineEnd + 2, Math.min(length, raw.length - lineEnd - 2));
            at = lineEnd + 2 + length + 2;
        }
        return body.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
