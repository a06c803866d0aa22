package io.elasticcloud.api.drive;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * A budget all customers' drive writes share (memory for bodies, or spool disk), of which one
 * customer holds at most a quarter at once (at least one write's worth), so that one account's
 * writes, however slowly their bodies come, leave the other accounts three quarters of it.
 */
final class WriteBudget {
    static final int SHARES = 4;

    private final Semaphore all;
    private final long share;
    private final Map<UUID, Long> held = new ConcurrentHashMap<>();

    /** {@code total} units; one customer may hold the larger of a quarter and {@code oneWrite}. */
    WriteBudget(int total, long oneWrite) {
        this.all = new Semaphore(total);
        this.share = Math.max(total / SHARES, oneWrite);
    }

    /** Takes {@code amount} for {@code user} if both the budget and the user's share have it. */
    boolean tryTake(UUID user, int amount) {
        boolean[] taken = {false};
        held.compute(user, (u, holding) -> {
            long now = holding == null ? 0 : holding;
            if (now + amount > share || !all.tryAcquire(amount)) {
                return holding;
            }
            taken[0] = true;
            return now + amount;
        });
        return taken[0];
    }

    void give(UUID user, int amount) {
        held.computeIfPresent(user, (u, holding) -> holding == amount ? null : holding - amount);
        all.release(amount);
    }

    int left() {
        return all.availablePermits();
    }
}
