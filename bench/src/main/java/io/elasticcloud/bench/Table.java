package io.elasticcloud.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The results, one row per figure: its value, its baseline's, the ratio (the figure's speed relative
 * to its baseline's: throughput over throughput, or the baseline's time over the figure's), the
 * target for that ratio, met or missed. Printed as a Markdown table, aligned, so that the terminal
 * output and docs/performance.md are the same text.
 */
final class Table {
    private record Row(String figure, String value, String baseline, String baselineValue, double ratio, double target,
                       String ratioText, String targetText, Boolean metOverride) {
        Row(String figure, String value, String baseline, String baselineValue, double ratio, double target) {
            this(figure, value, baseline, baselineValue, ratio, target, number(ratio), "≥ " + number(target), null);
        }

        boolean met() {
            return metOverride != null ? metOverride : ratio >= target;
        }
    }

    private final List<Row> rows = new ArrayList<>();

    void throughput(String figure, List<Long> nanos, String baseline, List<Long> baselineNanos, double target) {
        double v = DataSet.SIZE / 1048576.0 / (Bench.median(nanos) / 1e9);
        double b = DataSet.SIZE / 1048576.0 / (Bench.median(baselineNanos) / 1e9);
        rows.add(new Row(figure, String.format("%.0f MiB/s", v), baseline, String.format("%.0f MiB/s", b), v / b, target));
    }

    void higherBetter(String figure, double value, String baseline, double baselineValue, String format, double target) {
        rows.add(new Row(figure, String.format(format, value), baseline, String.format(format, baselineValue),
                value / baselineValue, target));
    }

    void lowerBetter(String figure, double value, String shown, String baseline, double baselineValue, String baselineShown,
                     double target) {
        rows.add(new Row(figure, shown, baseline, baselineShown, baselineValue / value, target));
    }

    /**
     * A figure whose target is an absolute margin over its baseline (for example "at most 150 ms
     * more"): the ratio column shows the difference and, in brackets, the figure's time over its
     * baseline's; the target column the margin.
     */
    void overhead(String figure, double valueMillis, String baseline, double baselineMillis, double maxOverheadMillis) {
        double overhead = valueMillis - baselineMillis;
        rows.add(new Row(figure, String.format("%.0f ms", valueMillis), baseline, String.format("%.0f ms", baselineMillis),
                Double.NaN, Double.NaN, String.format("%+.0f ms (%.2fx)", overhead, valueMillis / baselineMillis), String.format("≤ +%.0f ms", maxOverheadMillis),
                overhead <= maxOverheadMillis));
    }

    /** A figure without a target, beside its baseline: the ratio is shown, nothing is met or missed. */
    void informative(String figure, double value, String baseline, double baselineValue, String format) {
        rows.add(new Row(figure, String.format(format, value), baseline, String.format(format, baselineValue),
                value / baselineValue, Double.NaN, number(value / baselineValue), "none", true));
    }

    long missed() {
        return rows.stream().filter(r -> !r.met()).count();
    }

    String render() {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"figure", "measured", "baseline", "baseline measured", "ratio", "target", "result"});
        for (Row r : rows) {
            cells.add(new String[] {r.figure(), r.value(), r.baseline(), r.baselineValue(), r.ratioText(),
                    r.targetText(), "none".equals(r.targetText()) ? "-" : r.met() ? "met" : "MISSED"});
        }
        int[] width = new int[7];
        for (String[] c : cells) {
            for (int i = 0; i < 7; i++) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int line = 0; line < cells.size(); line++) {
            String[] c = cells.get(line);
            b.append('|');
            for (int i = 0; i < 7; i++) {
                b.append(' ').append(pad(c[i], width[i], i >= 4 && i <= 5)).append(" |");
            }
            b.append('\n');
            if (line == 0) {
                b.append('|');
                for (int i = 0; i < 7; i++) {
                    b.append(i >= 4 && i <= 5 ? "-".repeat(width[i] + 1) + ":" : "-".repeat(width[i] + 2)).append('|');
                }
                b.append('\n');
            }
        }
        return b.toString();
    }

    private static String number(double v) {
        return v >= 10 ? String.format("%.0f", v) : String.format("%.2f", v);
    }

    private static String pad(String s, int width, boolean right) {
        String spaces = " ".repeat(width - s.length());
        return right ? spaces + s : s + spaces;
    }
}
