package io.elasticcloud.api.lock;

import io.elasticcloud.protocol.ElasticException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The locks of {@link Locks} in this process's memory: {@link LockKey#MAC_STRIPES} stripes of each
 * kind. {@link MemoryLockTable} holds them to a transaction's end; {@link Locks} also takes them
 * before it opens a transaction, so that the callers of one process queue here, holding no database
 * connection, and one at a time goes on to the database's lock (otherwise every waiter holds a
 * pooled connection while it waits, and 20 parallel starts emptied a pool of 10). A holder's work
 * is a few statements: one that has held a stripe for {@link #STUCK} is stuck on a database that
 * does not answer, and those waiting behind it fail at once instead of queueing behind it for the
 * whole wait (each would otherwise have failed on its own within the pool's 5 s); and when a
 * holder could not reach the database at all ({@link #databaseFailed}), those that were waiting
 * fail with it rather than each waiting for a connection in turn.
 */
final class LocalGate {
    private static final int STRIPES = LockKey.MAC_STRIPES;
    static final Duration STUCK = Duration.ofSeconds(5);
    private static final long SLICE_MILLIS = 100;

    private final Map<LockKey.Kind, Stripe[]> stripes = new EnumMap<>(LockKey.Kind.class);
    /** nanoTime of the last holder's failure to reach the database; 0: none. */
    private volatile long databaseFailedAt;

    LocalGate() {
        for (LockKey.Kind kind : LockKey.Kind.values()) {
            Stripe[] locks = new Stripe[STRIPES];
            Arrays.setAll(locks, i -> new Stripe());
            stripes.put(kind, locks);
        }
    }

    /** A stripe, and since when its holder has held it (nanoTime, when first taken). */
    private static final class Stripe extends ReentrantLock {
        volatile long since;
    }

    /** Takes the stripes of {@code keys}, in their order, each within {@code wait}; all or none. */
    Held lock(List<LockKey> keys, Duration wait) {
        Held held = new Held();
        try {
            for (LockKey key : keys) {
                Stripe lock = stripes.get(key.kind())[Math.floorMod(key.id(), STRIPES)];
                take(lock, key, wait);
                held.locks.push(lock);
            }
            return held;
        } catch (InterruptedException e) {
            held.close();
            Thread.currentThread().interrupt();
            throw ElasticException.system("interrupted while waiting for a lock");
        } catch (RuntimeException e) {
            held.close();
            throw e;
        }
    }

    /** The stripe of {@code key} if no other thread holds it now, else none: nothing waits. */
    Optional<Held> tryLock(LockKey key) {
        Stripe lock = stripes.get(key.kind())[Math.floorMod(key.id(), STRIPES)];
        if (!lock.tryLock()) {
            return Optional.empty();
        }
        if (lock.getHoldCount() == 1) {
            lock.since = System.nanoTime();
        }
        Held held = new Held();
        held.locks.push(lock);
        return Optional.of(held);
    }

    /** A holder could not reach the database: whoever is waiting now gives up. */
    void databaseFailed() {
        long now = System.nanoTime();
        databaseFailedAt = now == 0 ? 1 : now;
    }

    private void take(Stripe lock, LockKey key, Duration wait) throws InterruptedException {
        long begun = System.nanoTime();
        long deadline = begun + wait.toNanos();
        while (!lock.tryLock(SLICE_MILLIS, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            long failed = databaseFailedAt;
            if (failed != 0 && failed - begun > 0) {
                throw ElasticException.system("the database is not answering; try again");
            }
            long since = lock.since;
            if (lock.isLocked() && since != 0 && now - since > STUCK.toNanos()) {
                throw ElasticException.system("the %s lock has been held for over %d s: the database is not answering"
                        + "; try again", key.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                        STUCK.toSeconds());
            }
            if (now - deadline > 0) {
                throw key.notFree(wait);
            }
        }
        if (lock.getHoldCount() == 1) {
            lock.since = System.nanoTime();
        }
    }

    /** Stripes taken by one {@link #lock}; closing lets them go, last taken first. */
    static final class Held implements AutoCloseable {
        private final Deque<Stripe> locks = new ArrayDeque<>();

        @Override
        public void close() {
            while (!locks.isEmpty()) {
                Stripe lock = locks.pop();
                if (lock.getHoldCount() == 1) {
                    lock.since = 0;
                }
                lock.unlock();
            }
        }
    }
}
