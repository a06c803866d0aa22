package io.elasticcloud.bench;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk (the Debian package) against one URL: {@code -c16} connections, {@code -t2} threads (one per
 * core of the reference machine), {@code --latency} for the percentiles. wrk runs on the same
 * machine as the system, which it shares the cores with, for the no-op baseline and the figure alike.
 */
final class Wrk {
    static final int CONNECTIONS = 16;
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("\\n\\s*99%\\s+([0-9.]+)(us|ms|s|m)\\b");
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses: (\\d+)|Socket errors: [^\\n]*");

    /** requests per second, and p99 latency in milliseconds */
    record Result(double requestsPerSecond, double p99Millis) {
    }

    private Wrk() {
    }

    static Result run(URI url, String authorization, int seconds, int threads) {
        String out = Shell.run("wrk -t" + threads + " -c" + CONNECTIONS + " -d" + seconds + "s --timeout 10s --latency"
                + " -H " + Shell.q("Authorization: " + authorization) + " " + Shell.q(url));
        Matcher errors = ERRORS.matcher(out);
        if (errors.find()) {
            throw new IllegalStateException("wrk saw errors against " + url + ":\n" + out);
        }
        Matcher rps = RPS.matcher(out);
        Matcher p99 = P99.matcher(out);
        if (!rps.find() || !p99.find()) {
            throw new IllegalStateException("cannot read wrk's output:\n" + out);
        }
        double v = Double.parseDouble(p99.group(1));
        double ms = switch (p99.group(2)) {
            case "us" -> v / 1000;
            case "ms" -> v;
            case "s" -> v * 1000;
            default -> v * 60_000;
        };
        return new Result(Double.parseDouble(rps.group(1)), ms);
    }
}
