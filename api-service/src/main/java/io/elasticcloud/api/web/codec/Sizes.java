package io.elasticcloud.api.web.codec;

import io.elasticcloud.protocol.ElasticException;

/**
 * Sizes and offsets in requests, read by the notation shared with the CLI
 * ({@link io.elasticcloud.codec.Sizes}: bytes, optionally with a binary suffix {@code k},
 * {@code M}, {@code G} or {@code T} in either case); what is not one is a usage error naming it.
 *
 * <p>A trailing {@code B} ({@code 4MB}) is refused. The original reference says "in bytes,
 * optionally with a k/M/G/T suffix" each of the three times it defines the notation; "4MB" and
 * "1GB" appear only in its prose.
 */
public final class Sizes {
    private static final String HOW = "use a whole number of bytes, optionally with a suffix k, M, G or T";

    private Sizes() {
    }

    /** The number of bytes {@code value} denotes; anything else is a usage error naming it. */
    public static long parse(String value) {
        String text = value == null ? "" : value;
        try {
            return io.elasticcloud.codec.Sizes.parse(text);
        } catch (NumberFormatException e) {
            throw ElasticException.usage("Invalid size %s: %s", ApiText.quote(text), HOW);
        } catch (ArithmeticException e) {
            throw ElasticException.usage("Size %s is too large", ApiText.quote(text));
        }
    }
}
