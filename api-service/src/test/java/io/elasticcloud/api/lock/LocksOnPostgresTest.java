package io.elasticcloud.api.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.PostgresDatabase;
import java.time.Duration;
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
    void aWaitLeavesTheTransactionsLockTimeoutAsItWas() {
        String after = transactions(one).execute(status -> first.server(java.util.UUID.randomUUID(),
                () -> new JdbcTemplate(one).queryForObject("SELECT current_setting('lock_timeout')", String.class)));
        assertThat(after).isEqualTo("0");
    }
}
