package io.elasticcloud.api.web.codec;

import io.elasticcloud.protocol.ElasticException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes and offsets: bytes, optionally with a binary suffix {@code k}, {@code M}, {@code G} or
 * {@code T} in either case ({@code 160G} = 171798691840).
 *
 * <p>A trailing {@code B} ({@code 4MB}) is refused. The original reference says "in bytes,
 * optionally with a k/M/G/T suffix" each of the three times it defines the notation; "4MB" and
 * "1GB" appear only in its prose. And "GB" is read as 10^9 as often as 2^30, so a clear usage
 * error beats guessing which one the client meant.
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("([0-9]+)([kKmMgGtT]?)");
    private static final String HOW = "use a whole number of bytes, optionally with a suffix k, M, G or T";

    private Sizes() {
    }

    /** The number of bytes {@code value} denotes; anything else is a usage error naming it. */
    public static long parse(String value) {
        String text = value == null ? "" : value;
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw ElasticException.usage("Invalid size %s: %s", ApiText.quote(text), HOW);
        }
        try {
            long number = Long.parseLong(m.group(1));
            return Math.multiplyExact(number, multiplier(m.group(2)));
        } catch (NumberFormatException | ArithmeticException e) {
            throw ElasticException.usage("Size %s is too large", ApiText.quote(text));
        }
    }

    private static long multiplier(String suffix) {
        return switch (suffix) {
            case "" -> 1L;
            case "k", "K" -> 1L << 10;
            case "m", "M" -> 1L << 20;
            case "g", "G" -> 1L << 30;
            default -> 1L << 40; // the pattern admits only t or T here
        };
    }
}
