package io.elasticcloud.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A line chart as an SVG file, both axes logarithmic (sizes growing tenfold, latencies from a
 * millisecond to seconds): one line per series over the same x values, a legend, decade grid
 * lines. Written by the benchmark that measured the figures, so the curve in the docs is the run's.
 */
final class SvgPlot {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int W = 760;
    private static final int H = 460;
    private static final int LEFT = 70;
    private static final int RIGHT = 250;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final double[] xs;
    private final Map<String, double[]> series = new LinkedHashMap<>();

    SvgPlot(String title, String xLabel, String yLabel, double[] xs) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.xs = xs.clone();
    }

    /** One line: a y for each x (NaN or non-positive values are left out). */
    SvgPlot line(String name, double[] ys) {
        series.put(name, ys.clone());
        return this;
    }

    void write(Path file) throws IOException {
        double yMin = Double.MAX_VALUE;
        double yMax = 0;
        for (double[] ys : series.values()) {
            for (double y : ys) {
                if (y > 0 && Double.isFinite(y)) {
                    yMin = Math.min(yMin, y);
                    yMax = Math.max(yMax, y);
                }
            }
        }
        if (yMax == 0) {
            yMin = 1;
            yMax = 10;
        }
        double y0 = Math.floor(Math.log10(yMin));
        double y1 = Math.max(y0 + 1, Math.ceil(Math.log10(yMax)));
        double x0 = Math.floor(Math.log10(xs[0]));
        double x1 = Math.max(x0 + 1, Math.ceil(Math.log10(xs[xs.length - 1])));
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", W, H));
        svg.append(text(W / 2.0 - RIGHT / 2.0, 22, title, "middle", 14));
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        for (double d = y0; d <= y1; d++) {
            double y = TOP + plotH - (d - y0) / (y1 - y0) * plotH;
            svg.append(line(LEFT, y, LEFT + plotW, y, "#ddd"));
            svg.append(text(LEFT - 6, y + 4, number(Math.pow(10, d)), "end", 12));
        }
        for (double d = x0; d <= x1; d++) {
            double x = LEFT + (d - x0) / (x1 - x0) * plotW;
            svg.append(line(x, TOP, x, TOP + plotH, "#ddd"));
            svg.append(text(x, TOP + plotH + 18, number(Math.pow(10, d)), "middle", 12));
        }
        svg.append(line(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH, "#000"));
        svg.append(line(LEFT, TOP, LEFT, TOP + plotH, "#000"));
        svg.append(text(LEFT + plotW / 2.0, H - 12, xLabel, "middle", 12));
        svg.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%s</text>%n",
                TOP + plotH / 2.0, TOP + plotH / 2.0, escape(yLabel)));
        int i = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (int k = 0; k < xs.length; k++) {
                double y = e.getValue()[k];
                if (y > 0 && Double.isFinite(y)) {
                    double px = LEFT + (Math.log10(xs[k]) - x0) / (x1 - x0) * plotW;
                    double py = TOP + plotH - (Math.log10(y) - y0) / (y1 - y0) * plotH;
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", px, py, colour));
                }
            }
            svg.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    colour, points.toString().strip()));
            double ly = TOP + 10 + i * 18;
            svg.append(line(W - RIGHT + 15, ly - 4, W - RIGHT + 35, ly - 4, colour));
            svg.append(text(W - RIGHT + 40, ly, e.getKey(), "start", 12));
            i++;
        }
        svg.append("</svg>\n");
        Files.writeString(file, svg);
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"/>%n",
                x1, y1, x2, y2, colour, colour.equals("#ddd") ? "1" : "2");
    }

    private static String text(double x, double y, String s, String anchor, int size) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>%n",
                x, y, anchor, size, escape(s));
    }

    private static String number(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%s", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
