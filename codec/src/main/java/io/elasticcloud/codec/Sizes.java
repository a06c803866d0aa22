package io.elasticcloud.codec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes and offsets as the API spec writes them: bytes, optionally with a binary suffix {@code k},
 * {@code M}, {@code G} or {@code T} in either case ({@code 160G} = 171798691840).
 *
 * <p>Only ASCII digits and the suffix: no sign, no white space, no decimal point, no trailing
 * {@code B}. The spec's notation has none of them; a caller that takes a size from a place where
 * surrounding white space is harmless (a command-line argument, a text value) strips it first. A
 * trailing {@code B} ({@code 4MB}) is refused because "GB" is read as 10^9 as often as 2^30, and
 * a clear error beats guessing which one was meant.
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("([0-9]+)([kKmMgGtT]?)");

    private Sizes() {
    }

    /**
     * The number of bytes {@code text} denotes.
     *
     * @throws NumberFormatException when {@code text} (or null) is not written as a size
     * @throws ArithmeticException when it is, but denotes more than {@link Long#MAX_VALUE} bytes
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new NumberFormatException("not a size: " + text);
        }
        long number;
        try {
            number = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            // the pattern admits only digits, so the number can only be too long for a long
            throw new ArithmeticException("size too large: " + text);
        }
        return Math.multiplyExact(number, multiplier(m.group(2)));
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
