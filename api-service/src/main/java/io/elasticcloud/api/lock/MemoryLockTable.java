package io.elasticcloud.api.lock;

import java.time.Duration;
import java.util.List;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The locks in this process's memory, for a database only one process opens (the single host's
 * H2 file): the stripes of a {@link LocalGate}, each let go when the transaction that took it ends.
 */
final class MemoryLockTable implements LockTable {
    private final LocalGate stripes = new LocalGate();

    @Override
    public void acquire(List<LockKey> keys, Duration wait) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("a lock is taken inside a transaction only");
        }
        LocalGate.Held held = stripes.lock(keys, wait);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                held.close();
            }
        });
    }
}
