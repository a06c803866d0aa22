package io.elasticcloud.api.lock;

import java.time.Duration;

/**
 * Where the locks of {@link Locks} live. A lock is taken inside the caller's transaction and held
 * to its end (commit or rollback), whoever holds it.
 */
interface LockTable {
    /**
     * Takes {@code key} for the current transaction, waiting at most {@code wait}.
     *
     * @throws io.elasticcloud.protocol.ElasticException {@code system} when it is not free in time
     */
    void acquire(LockKey key, Duration wait);
}
