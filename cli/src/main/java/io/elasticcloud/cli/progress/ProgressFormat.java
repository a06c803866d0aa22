package io.elasticcloud.cli.progress;

import io.elasticcloud.cli.api.Sizes;
import java.util.Locale;

/**
 * The two ways progress is shown, as pure functions: a bar redrawn in place on a terminal, and
 * plain lines (one per report, never a carriage return or an escape sequence) everywhere else.
 */
public final class ProgressFormat {
    private ProgressFormat() {
    }

    /**
     * {@code upload  42% [##########>          ] 430.0 MiB/1.0 GiB  85.3 MiB/s  0:07 left}, at most
     * {@code width - 1} characters (the last column is left free so the terminal never wraps).
     */
    public static String bar(Snapshot s, int width) {
        String rate = Sizes.rate(s.rate());
        if (s.total() < 0) {
            String t = String.format(Locale.ROOT, "%s %s  %s", s.label(), Sizes.human(s.done()), rate);
            return fit(t, width - 1);
        }
        String head = String.format(Locale.ROOT, "%s %3d%% ", s.label(), s.percent());
        String tail = String.format(Locale.ROOT, " %s/%s  %s  %s", Sizes.human(s.done()), Sizes.human(s.total()),
                rate, left(s));
        int barWidth = width - 1 - head.length() - tail.length() - 2;
        if (barWidth < 10) {
            // too narrow for a bar: the numbers alone
            return fit(head + tail.strip(), width - 1);
        }
        int filled = s.total() == 0 ? barWidth : (int) (barWidth * Math.min(1.0, (double) s.done() / s.total()));
        StringBuilder b = new StringBuilder(head).append('[');
        for (int i = 0; i < barWidth; i++) {
            b.append(i < filled ? '#' : i == filled ? '>' : ' ');
        }
        return b.append(']').append(tail).toString();
    }

    /** {@code upload: 42% 430.0 MiB of 1.0 GiB, 85.3 MiB/s, 7 s left}. */
    public static String line(Snapshot s) {
        if (s.total() < 0) {
            return String.format(Locale.ROOT, "%s: %s, %s", s.label(), Sizes.human(s.done()), Sizes.rate(s.rate()));
        }
        long left = s.secondsLeft();
        return String.format(Locale.ROOT, "%s: %d%% %s of %s, %s%s", s.label(), s.percent(), Sizes.human(s.done()),
                Sizes.human(s.total()), Sizes.rate(s.rate()), left < 0 ? "" : ", " + left + " s left");
    }

    /** The last line: {@code upload: 1.0 GiB in 12.3 s, 85.3 MiB/s}. */
    public static String summary(Snapshot s) {
        return String.format(Locale.ROOT, "%s: %s in %.1f s, %s", s.label(), Sizes.human(s.done()),
                s.elapsedNanos() / 1e9, Sizes.rate(s.rate()));
    }

    static String left(Snapshot s) {
        long sec = s.secondsLeft();
        if (sec < 0) {
            return "--:-- left";
        }
        return sec >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d left", sec / 3600, sec / 60 % 60, sec % 60)
                : String.format(Locale.ROOT, "%d:%02d left", sec / 60, sec % 60);
    }

    private static String fit(String s, int width) {
        return s.length() <= width ? s : s.substring(0, Math.max(0, width));
    }
}
