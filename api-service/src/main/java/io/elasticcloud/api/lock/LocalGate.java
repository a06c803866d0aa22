package io.elasticcloud.api.lock;

import io.elasticcloud.protocol.ElasticException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The locks of {@link Locks} in this process's memory: {@link LockKey#MAC_STRIPES} stripes of each
 * kind. {@link MemoryLockTable} holds them to a transaction's end; {@link Locks} also takes them
 * before it opens a transaction, so that the callers of one process queue here, holding no database
 * connection, and one at a time goes on to the database's lock (otherwise every waiter holds a
 * pooled connection while it waits, and 20 parallel starts emptied a pool of 10).
 */
final class LocalGate {
    private static final int STRIPES = LockKey.MAC_STRIPES;

    private final Map<LockKey.Kind, ReentrantLock[]> stripes = new EnumMap<>(LockKey.Kind.class);

    LocalGate() {
        for (LockKey.Kind kind : LockKey.Kind.values()) {
            ReentrantLock[] locks = new ReentrantLock[STRIPES];
            Arrays.setAll(locks, i -> new ReentrantLock());
            stripes.put(kind, locks);
        }
    }

    /** Takes the stripes of {@code keys}, in their order, each within {@code wait}; all or none. */
    Held lock(List<LockKey> keys, Duration wait) {
        Held held = new Held();
        try {
            for (LockKey key : keys) {
                ReentrantLock lock = stripes.get(key.kind())[Math.floorMod(key.id(), STRIPES)];
                if (!lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw key.notFree(wait);
                }
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

    /** Stripes taken by one {@link #lock}; closing lets them go, last taken first. */
    static final class Held implements AutoCloseable {
        private final Deque<ReentrantLock> locks = new ArrayDeque<>();

        @Override
        public void close() {
            while (!locks.isEmpty()) {
                locks.pop().unlock();
            }
        }
    }
}
