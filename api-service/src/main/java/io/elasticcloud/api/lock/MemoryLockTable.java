package io.elasticcloud.api.lock;

import io.elasticcloud.protocol.ElasticException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The locks in this process's memory, for a database only one process opens (the single host's
 * H2 file): 64 stripes of each kind, each let go when the transaction that took it ends.
 */
final class MemoryLockTable implements LockTable {
    private static final int STRIPES = LockKey.MAC_STRIPES;

    private final Map<LockKey.Kind, ReentrantLock[]> stripes = new EnumMap<>(LockKey.Kind.class);

    MemoryLockTable() {
        for (LockKey.Kind kind : LockKey.Kind.values()) {
            ReentrantLock[] locks = new ReentrantLock[STRIPES];
            Arrays.setAll(locks, i -> new ReentrantLock());
            stripes.put(kind, locks);
        }
    }

    @Override
    public void acquire(List<LockKey> keys, Duration wait) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("a lock is taken inside a transaction only");
        }
        keys.forEach(key -> acquire(key, wait));
    }

    private void acquire(LockKey key, Duration wait) {
        ReentrantLock lock = stripes.get(key.kind())[Math.floorMod(key.id(), STRIPES)];
        try {
            if (!lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw key.notFree(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ElasticException.system("interrupted while waiting for a lock");
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                lock.unlock();
            }
        });
    }
}
