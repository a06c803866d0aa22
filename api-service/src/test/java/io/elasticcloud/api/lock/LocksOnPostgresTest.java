package io.elasticcloud.api.lock;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.elasticcloud.api.support.PostgresDatabase;
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
                placed.add(threads.submit(() -> locks.hostPlacement(() -> {
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

    @Test
    void aWaitLeavesTheTransactionsLockTimeoutAsItWas() {
        String after = transactions(one).execute(status -> first.server(java.util.UUID.randomUUID(),
                () -> new JdbcTemplate(one).queryForObject("SELECT current_setting('lock_timeout')", String.class)));
        assertThat(after).isEqualTo("0");
    }
}
