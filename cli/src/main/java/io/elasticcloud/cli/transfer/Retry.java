package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.api.ApiErrors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A chunk's request tried again after a transient failure (lost connection, timeout, the
 * platform's own 500 system, a proxy's error): up to {@code attempts} times in all, waiting 0.5 s,
 * 1 s, 2 s... (at most 10 s) between tries. The customer's errors (usage, auth, missing, full...)
 * are never retried: they would only fail again.
 */
public record Retry(int attempts, long firstDelayMillis, Consumer<String> onRetry) {

    public <T> T run(String what, Supplier<T> call) {
        long delay = firstDelayMillis;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (CliException e) {
                if (!ApiErrors.isTransient(e) || attempt >= attempts) {
                    throw e;
                }
                onRetry.accept(what + " failed (" + e.label() + ": " + e.getMessage() + "); try " + (attempt + 1)
                        + " of " + attempts + " in " + delay + " ms");
                sleep(delay);
                delay = Math.min(10_000, delay * 2);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.local("interrupted");
        }
    }
}
