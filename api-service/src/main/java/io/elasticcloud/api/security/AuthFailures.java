package io.elasticcloud.api.security;

import io.elasticcloud.api.frontdoor.FrontDoorProperties;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Failed authentications per source address, as a token bucket each: {@code burst} failures in a
 * row, then one more per {@code interval}. A source over its budget is refused before any
 * credential is checked, so guessing costs the server nothing (no slow hash, no database query).
 *
 * <p>The table has a fixed number of slots ({@code elastic.http.address-table}), one long each: a
 * flood of addresses cannot grow it. Addresses whose (randomly keyed) hashes collide share a
 * budget; with thousands of slots that is rare, and it can only make a limit stricter. Each slot
 * holds the time at which its bucket is full again (the generic cell rate algorithm).
 */
@Component
public class AuthFailures {
    private final AtomicLongArray fullAt;
    private final long intervalNanos;
    private final long burstNanos;
    private final int seed = new SecureRandom().nextInt();
    private final LongSupplier clock;

    @Autowired
    public AuthFailures(FrontDoorProperties properties) {
        this(properties, System::nanoTime);
    }

    AuthFailures(FrontDoorProperties properties, LongSupplier clock) {
        this.fullAt = new AtomicLongArray(properties.addressTable());
        this.intervalNanos = Math.max(1, properties.authFailureInterval().toNanos());
        this.burstNanos = intervalNanos * properties.authFailureBurst();
        this.clock = clock;
        long now = clock.getAsLong();
        for (int i = 0; i < fullAt.length(); i++) {
            fullAt.set(i, now);
        }
    }

    /** Seconds {@code source} must wait before its next try is checked; 0 while it has budget left. */
    public long secondsToWait(String source) {
        long now = clock.getAsLong();
        long debt = Math.max(fullAt.get(slot(source)), now) - now;
        long over = debt + intervalNanos - burstNanos;
        return over <= 0 ? 0 : Math.max(1, (over + 999_999_999L) / 1_000_000_000L);
    }

    /** One failed authentication from {@code source}. */
    public void failed(String source) {
        long now = clock.getAsLong();
        // capped at one burst of debt, so a source that goes on failing waits one interval, not forever
        fullAt.getAndUpdate(slot(source), at -> Math.min(Math.max(at, now) + intervalNanos, now + burstNanos));
    }

    private int slot(String source) {
        int h = source.hashCode() ^ seed;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return Math.floorMod(h, fullAt.length());
    }
}
