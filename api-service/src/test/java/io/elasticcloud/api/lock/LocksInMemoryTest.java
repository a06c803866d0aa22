package io.elasticcloud.api.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The locks in one process's memory, on the single host's database (H2): {@link LocksContract}. */
class LocksInMemoryTest extends LocksContract {
    private final DataSource h2 = new DriverManagerDataSource(
            "jdbc:h2:mem:locks-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    private final Locks locks = new Locks(transactions(h2), h2);
    private final Locks impatient = new Locks(transactions(h2), locks.table(), Duration.ofMillis(300));

    @Override
    protected Locks first() {
        return locks;
    }

    @Override
    protected Locks second() {
        return locks;
    }

    @Override
    protected Locks impatient() {
        return impatient;
    }

    @Override
    protected DataSource dataSource() {
        return h2;
    }

    @Test
    void h2KeepsTheLocksInMemory() {
        assertThat(locks.table()).isInstanceOf(MemoryLockTable.class);
    }
}
