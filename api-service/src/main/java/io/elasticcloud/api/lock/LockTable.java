package io.elasticcloud.api.lock;

import java.time.Duration;
import java.util.List;

/**
 * Where the locks of {@link Locks} live. A lock is taken inside the caller's transaction and held
 * to its end (commit or rollback), whoever holds it.
 */
interface LockTable {
    /**
     * Takes {@code keys}, in their order, for the current transaction, waiting at most {@code wait}
     * for each.
     *
     * @throws io.elasticcloud.protocol.ElasticException {@code system} when one is not free in time
     */
    void acquire(List<LockKey> keys, Duration wait);
}
