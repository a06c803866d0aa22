package io.elasticcloud.cli.api;

/** A request body with its media type and, for drive writes, its content encoding (or null). */
public record Body(String contentType, String contentEncoding, byte[] bytes) {
    public static final Body EMPTY = new Body(null, null, new byte[0]);

    public static Body text(String text) {
        return new Body("text/plain", null, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static Body json(String json) {
        return new Body("application/json", null, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static Body octets(byte[] bytes, boolean gzipped) {
        return new Body("application/octet-stream", gzipped ? "gzip" : null, bytes);
    }
}
