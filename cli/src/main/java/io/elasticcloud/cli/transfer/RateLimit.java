package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;

/**
 * {@code --limit-rate}: at most {@code bytesPerSecond} on the wire, shared by all the threads of a
 * transfer (each request waits for its turn before it is sent). Zero means no limit.
 */
public final class RateLimit {
    private final long bytesPerSecond;
    private long nextFreeNanos = System.nanoTime();

    public RateLimit(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    public void acquire(long bytes) {
        if (bytesPerSecond <= 0) {
            return;
        }
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(now, nextFreeNanos);
            nextFreeNanos = start + (long) (bytes * 1e9 / bytesPerSecond);
            wait = start - now;
        }
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliException.local("interrupted");
            }
        }
    }
}
