package io.elasticcloud.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * One request of the hostile-input fuzzer, exactly as it goes on the wire.
 *
 * @param actor         whose credentials it carries ("alice", "bob", "admin", or none that work)
 * @param headers       name/value pairs, in order, besides Host, Connection and the body's length
 * @param body          null: no body at all
 * @param contentLength null: the body's own length (or chunked); else sent as given
 * @param mutating      whether the call, if accepted, may change state (a refused one must not)
 */
record FuzzRequest(String actor, String method, String path, List<String[]> headers, byte[] body,
                   boolean chunked, String contentLength, boolean mutating) {

    byte[] bytes(int port) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: 127.0.0.1:").append(port).append("\r\n");
        head.append("Connection: close\r\n");
        for (String[] h : headers) {
            head.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        if (body != null && chunked) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (body != null) {
            head.append("Content-Length: ").append(contentLength != null ? contentLength : body.length).append("\r\n");
        }
        head.append("\r\n");
        out.writeBytes(head.toString().getBytes(ISO_8859_1));
        if (body != null && chunked) {
            int at = 0;
            while (at < body.length) {
                int n = Math.min(body.length - at, 1000);
                out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
                out.write(body, at, n);
                out.writeBytes("\r\n".getBytes(ISO_8859_1));
                at += n;
            }
            out.writeBytes("0\r\n\r\n".getBytes(ISO_8859_1));
        } else if (body != null) {
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    /**
     * The request as a Java string literal would write it (bytes above 0x7e and controls escaped),
     * cut at 4000 characters, with each credential in {@code secrets} (value to label) replaced by
     * its label.
     */
    String describe(int port, java.util.Map<String, String> secrets) {
        byte[] raw = bytes(port);
        StringBuilder s = new StringBuilder("[as ").append(actor).append("] \"");
        for (int i = 0; i < raw.length && s.length() < 4000; i++) {
            int b = raw[i] & 0xff;
            switch (b) {
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n\"\n  + \"");
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> s.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
            }
        }
        String text = s.append(s.length() >= 4000 ? "...(cut)" : "").append('"').toString();
        for (var secret : secrets.entrySet()) {
            text = text.replace(secret.getKey(), secret.getValue());
        }
        return text;
    }

    /** Without credentials: safe to print. */
    @Override
    public String toString() {
        return actor + " " + method + " " + path;
    }
}
