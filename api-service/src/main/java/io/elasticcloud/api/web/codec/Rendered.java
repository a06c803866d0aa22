package io.elasticcloud.api.web.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A response body with the two headers that describe it. The bytes are copied in and out so the
 * value stays immutable; bodies are info listings, small enough for that to cost nothing.
 */
public record Rendered(Format format, Output output, byte[] body) {

    public Rendered {
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    // A record compares arrays by identity; a body is a value, so compare its bytes.
    @Override
    public boolean equals(Object other) {
        return other instanceof Rendered r && format == r.format && output == r.output && Arrays.equals(body, r.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * format.hashCode() + output.hashCode()) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "Rendered[" + format + ", " + output + ", " + body.length + " bytes]";
    }

    /** The {@code Content-Type} header. */
    public String contentType() {
        return format.mediaType();
    }

    /** The {@code X-Elastic-Output} header. */
    public String outputHeader() {
        return output.header();
    }

    /** The body as text (it is UTF-8 in both formats); for logs and tests. */
    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
