package io.elasticcloud.cli.api;

import io.elasticcloud.cli.CliException;
import java.util.Locale;

/**
 * Sizes as the API writes them (bytes, or a binary suffix k, M, G, T: the notation the API itself
 * reads, {@link io.elasticcloud.codec.Sizes}) and as people read them.
 */
public final class Sizes {
    public static final long KIB = 1024;
    public static final long MIB = 1024 * KIB;
    public static final long GIB = 1024 * MIB;
    public static final long TIB = 1024 * GIB;

    private Sizes() {
    }

    /**
     * {@code 4194304}, {@code 4M}, {@code 10g}: bytes; anything else is a command-line error. White
     * space around the argument is dropped (a shell variable may carry it); inside, only the API's
     * notation.
     */
    public static long parse(String text, String what) {
        try {
            return io.elasticcloud.codec.Sizes.parse(text == null ? "" : text.strip());
        } catch (NumberFormatException | ArithmeticException e) {
            throw CliException.commandLine("%s must be a size in bytes, optionally with k, M, G or T, not %s",
                    what, text);
        }
    }

    /** {@code 512 B}, {@code 3.5 MiB}, {@code 1.0 GiB}: for progress and summaries. */
    public static String human(long bytes) {
        if (bytes < KIB) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    /** A rate in bytes per second, as {@code 85.2 MiB/s}. */
    public static String rate(double bytesPerSecond) {
        return human((long) bytesPerSecond) + "/s";
    }
}
