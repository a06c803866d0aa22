package io.elasticcloud.api.lock;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The locks as PostgreSQL's transaction-level advisory locks: held by every API instance on the
 * database alike, let go by the server at the transaction's end, and with the connection of an
 * instance that dies. Each wait is bounded by {@code lock_timeout}, set for these statements only.
 */
final class AdvisoryLockTable implements LockTable {
    /** PostgreSQL's {@code lock_not_available}: the wait reached {@code lock_timeout}. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    private final JdbcTemplate jdbc;

    AdvisoryLockTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Each key is first tried, one statement that does not wait: behind this process's {@link
     * LocalGate} a lock is free unless another instance holds it, so that is the common case (a
     * start takes its host's placement lock and its server's in two statements). Only a key
     * another holds is waited for, with the wait bounded.
     */
    @Override
    public void acquire(List<LockKey> keys, Duration wait) {
        for (int i = 0; i < keys.size(); i++) {
            LockKey key = keys.get(i);
            if (!Boolean.TRUE.equals(jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(?, ?)", Boolean.class,
                    key.kind().classId, key.id()))) {
                waitFor(keys.subList(i, keys.size()), wait);
                return;
            }
        }
    }

    /** Takes {@code keys} in order, each wait at most {@code wait}. */
    private void waitFor(List<LockKey> keys, Duration wait) {
        // the transaction's own lock_timeout is set once for all the keys and given back after
        String before = jdbc.queryForObject("SELECT current_setting('lock_timeout')", String.class);
        jdbc.queryForObject("SELECT set_config('lock_timeout', ?, true)", String.class, wait.toMillis() + "ms");
        for (LockKey key : keys) {
            try {
                jdbc.queryForObject("SELECT pg_advisory_xact_lock(?, ?)::text", String.class, key.kind().classId, key.id());
            } catch (DataAccessException e) {
                if (e.getMostSpecificCause() instanceof SQLException sql && LOCK_NOT_AVAILABLE.equals(sql.getSQLState())) {
                    throw key.notFree(wait);
                }
                throw e;
            }
        }
        jdbc.queryForObject("SELECT set_config('lock_timeout', ?, true)", String.class, before);
    }
}
