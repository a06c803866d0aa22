package io.elasticcloud.cli.progress;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The progress of one transfer phase, shown on standard error while it runs: on a terminal a bar
 * redrawn in place five times a second, elsewhere a plain line every two seconds (when something
 * moved), and in both a summary line at the end. Notes (a retry, say) are printed on their own
 * line without breaking the bar. Quiet: counts only.
 */
public final class Progress implements AutoCloseable {
    private static final long BAR_EVERY_MS = 200;
    private static final long LINE_EVERY_MS = 2000;

    private final String label;
    private final long total;
    private final PrintStream err;
    private final boolean terminal;
    private final boolean quiet;
    private final int columns;
    private final long start = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final ScheduledExecutorService ticker;
    private long lastLineDone = -1;
    private boolean barShown;
    private boolean closed;

    public Progress(String label, long total, PrintStream err, boolean terminal, boolean quiet, int columns) {
        this.label = label;
        this.total = total;
        this.err = err;
        this.terminal = terminal;
        this.quiet = quiet;
        this.columns = columns;
        if (quiet) {
            this.ticker = null;
        } else {
            this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            long every = terminal ? BAR_EVERY_MS : LINE_EVERY_MS;
            ticker.scheduleAtFixedRate(this::tick, terminal ? 0 : every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Bytes moved in this run. */
    public void add(long bytes) {
        done.addAndGet(bytes);
    }

    /** Bytes already done before a resume: counted in the percentage, not in the rate. */
    public void addSkipped(long bytes) {
        done.addAndGet(bytes);
        skipped.addAndGet(bytes);
    }

    public Snapshot snapshot() {
        return new Snapshot(label, total, done.get(), skipped.get(), System.nanoTime() - start);
    }

    public synchronized void note(String message) {
        if (quiet) {
            return;
        }
        if (barShown) {
            err.print("\r\033[K");
        }
        err.println("elastic: " + message);
        if (barShown) {
            err.print(ProgressFormat.bar(snapshot(), columns));
        }
        err.flush();
    }

    private synchronized void tick() {
        if (closed) {
            return;
        }
        Snapshot s = snapshot();
        if (terminal) {
            err.print("\r" + ProgressFormat.bar(s, columns) + "\033[K");
            barShown = true;
        } else if (s.done() != lastLineDone) {
            err.println(ProgressFormat.line(s));
            lastLineDone = s.done();
        }
        err.flush();
    }

    /** Stops the reports; {@code success} prints the final bar (or line) and the summary. */
    public synchronized void finish(boolean success) {
        if (closed) {
            return;
        }
        closed = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        if (quiet) {
            return;
        }
        Snapshot s = snapshot();
        if (terminal) {
            if (success) {
                err.print("\r" + ProgressFormat.bar(s, columns) + "\033[K\n");
            } else if (barShown) {
                err.print("\n");
            }
        } else if (success && s.done() != lastLineDone) {
            err.println(ProgressFormat.line(s));
        }
        if (success) {
            err.println(ProgressFormat.summary(s));
        }
        err.flush();
    }

    @Override
    public void close() {
        finish(false);
    }
}
