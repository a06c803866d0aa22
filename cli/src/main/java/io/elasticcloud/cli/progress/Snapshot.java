package io.elasticcloud.cli.progress;

/**
 * Where a transfer stands: {@code done} of {@code total} bytes ({@code total} -1 when unknown,
 * as for standard input), of which {@code skipped} were not moved in this run (already done before
 * a resume), after {@code elapsedNanos}.
 */
public record Snapshot(String label, long total, long done, long skipped, long elapsedNanos) {

    /** Bytes per second moved in this run (what was skipped on resume does not count). */
    public double rate() {
        double seconds = elapsedNanos / 1e9;
        return seconds <= 0.05 ? 0 : (done - skipped) / seconds;
    }

    /** Seconds left at the current rate, or -1 when unknown. */
    public long secondsLeft() {
        double r = rate();
        if (total < 0 || r <= 0) {
            return -1;
        }
        return (long) Math.ceil(Math.max(0, total - done) / r);
    }

    public int percent() {
        if (total <= 0) {
            return total == 0 ? 100 : -1;
        }
        return (int) Math.min(100, done * 100 / total);
    }
}
