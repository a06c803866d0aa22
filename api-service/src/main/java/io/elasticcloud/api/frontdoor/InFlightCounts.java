package io.elasticcloud.api.frontdoor;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests in progress per key (a source address, a customer), each key at most {@code limit}.
 * A key is held only while it has a request in progress, so the table never holds more entries
 * than the server has requests in progress: an attacker's many addresses cost nothing once answered.
 */
final class InFlightCounts {
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final int limit;

    InFlightCounts(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /** Counts one more request for {@code key}, unless it already has {@code limit}: then false. */
    boolean tryEnter(String key) {
        boolean[] entered = {false};
        counts.compute(key, (k, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() < limit) {
                c.incrementAndGet();
                entered[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        return entered[0];
    }

    /** One request of {@code key} has ended (only after a {@link #tryEnter} that returned true). */
    void leave(String key) {
        counts.computeIfPresent(key, (k, c) -> c.decrementAndGet() <= 0 ? null : c);
    }

    int inProgress(String key) {
        AtomicInteger c = counts.get(key);
        return c == null ? 0 : c.get();
    }

    int keys() {
        return counts.size();
    }
}
