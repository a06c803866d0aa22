package io.elasticcloud.api.lock;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.elasticcloud.api.support.PostgresDatabase;
import io.elasticcloud.api.support.StatementCounter;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The locks as PostgreSQL advisory locks, shared by two API instances (two connection pools to
 * one database): {@link LocksContract}, every second holder on the other instance.
 */
@Tag("postgres")
class LocksOnPostgresTest extends LocksContract {
    private static final PostgresDatabase.Fresh DATABASE = PostgresDatabase.create();

    private final DataSource one = dataSource(DATABASE);
    private final DataSource two = dataSource(DATABASE);
    private final Locks first = new Locks(transactions(one), one);
    private final Locks second = new Locks(transactions(two), two);
    private final Locks impatient = new Locks(transactions(two), new AdvisoryLockTable(new JdbcTemplate(two)),
            Duration.ofMillis(300));

    private static DataSource dataSource(PostgresDatabase.Fresh database) {
        return new DriverManagerDataSource(database.url(), database.user(), database.password());
    }

    @Override
    protected Locks first() {
        return first;
    }

    @Override
    protected Locks second() {
        return second;
    }

    @Override
    protected Locks impatient() {
        return impatient;
    }

    @Override
    protected DataSource dataSource() {
        return one;
    }

    @Test
    void postgresqlKeepsTheLocksInTheDatabase() {
        assertThat(first.table()).isInstanceOf(AdvisoryLockTable.class);
    }

    /**
     * Calls of one instance waiting for a host's placement lock (held elsewhere) line up in its
     * memory: they take one pooled connection, not all, so a call needing no lock still gets one.
     * Before the line, the waiters held every connection and the other call failed after the
     * pool's timeout.
     */
    @Test
    void waitersForAPlacementLockLeaveThePoolToTheOtherCalls() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(DATABASE.url());
        config.setUsername(DATABASE.user());
        config.setPassword(DATABASE.password());
        config.setMaximumPoolSize(3);
        config.setConnectionTimeout(1000);
        ExecutorService waiters = Executors.newFixedThreadPool(5);
        try (HikariDataSource pool = new HikariDataSource(config); Connection elsewhere = two.getConnection();
             Statement sql = elsewhere.createStatement()) {
            Locks instance = new Locks(transactions(pool), pool);
            sql.execute("SELECT pg_advisory_lock(" + LockKey.Kind.HOST.classId + ", " + LockKey.host("host-a").id() + ")");
            List<Future<Integer>> placed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                placed.add(waiters.submit(() -> instance.host("host-a", () -> 1)));
            }
            Thread.sleep(500);
            assertThat(new JdbcTemplate(pool).queryForObject("SELECT 1", Integer.class)).as("a call needing no lock")
                    .isEqualTo(1);
            sql.execute("SELECT pg_advisory_unlock(" + LockKey.Kind.HOST.classId + ", " + LockKey.host("host-a").id() + ")");
            for (Future<Integer> one : placed) {
                assertThat(one.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            }
        } finally {
            waiters.shutdownNow();
        }
    }

    @Test
    void theWaitersOfOneInstanceHoldNoConnectionWhileTheyWait() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(DATABASE.url());
        config.setUsername(DATABASE.user());
        config.setPassword(DATABASE.password());
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(500);
        int waiters = 10;
        ExecutorService threads = Executors.newFixedThreadPool(waiters);
        try (HikariDataSource small = new HikariDataSource(config)) {
            Locks locks = new Locks(transactions(small), small);
            List<Future<Integer>> placed = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                int n = i;
                placed.add(threads.submit(() -> locks.host("host-a", () -> {
                    sleep(100);
                    return n;
                })));
            }
            // ten holders of 100 ms each, one after another: a waiter holding a connection of the
            // two would leave the eighth without one for far longer than the pool's 500 ms
            for (int i = 0; i < waiters; i++) {
                assertThat(placed.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Behind the process's gate a lock is normally free: it is taken in one statement that does not
     * wait (a start's placement and server locks were eight statements, the placement lock
     * held across four of them).
     */
    @Test
    void aFreeLockIsOneStatement() {
        DataSource counted = StatementCounter.counting(one);
        Locks locks = new Locks(transactions(counted), counted);
        List<String> sql = new StatementCounter().during(
                () -> locks.host("host-a", () -> locks.server(java.util.UUID.randomUUID(), () -> 1)));
        assertThat(sql).containsExactly("SELECT pg_try_advisory_xact_lock(?, ?)", "SELECT pg_try_advisory_xact_lock(?, ?)");
    }

    @Test
    void aWaitLeavesTheTransactionsLockTimeoutAsItWas() {
        String after = transactions(one).execute(status -> first.server(java.util.UUID.randomUUID(),
                () -> new JdbcTemplate(one).queryForObject("SELECT current_setting('lock_timeout')", String.class)));
        assertThat(after).isEqualTo("0");
    }
}
