package io.elasticcloud.api.lock;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every lock the API service takes, by name, and the one order they are taken in. Each method runs
 * its action in a database transaction (the caller's, when it is already in one) and holds its
 * lock until that transaction ends, commit or rollback: what the action decided is committed
 * before anyone else may decide again. A caller never holds a lock across a bus call (commit,
 * then command the node; on the node's refusal undo in a new transaction), and takes locks only in
 * this order (any may be skipped), so no two callers ever wait on each other in a cycle:
 * <ol>
 * <li>{@link #host}: one host's placement, from checking that a server fits it to committing the
 * server row that takes its room (a start; a {@code set} that may raise {@code cpu} live on it; the
 * host put into or out of maintenance), so parallel starts never overcommit a host nor break
 * {@code avoid:servers} (a conflict of two starts is on one host, so under one lock); starts on
 * different hosts are placed in parallel. Exclusive drives are kept by their rows' locks, below;</li>
 * <li>{@link #storagePlacement}: from choosing a storage node to committing the drive row that
 * takes its room (drive create, grow, library import); never held with a host's;</li>
 * <li>{@link #macs} / {@link #allMacs}: the stripes of the MAC addresses a command gives a server,
 * so two commands never both find one MAC free;</li>
 * <li>{@link #server}: one server's row transitions (start, stop, set, destroy and what the hosts
 * report);</li>
 * <li>the database's own row locks ({@code SELECT … FOR UPDATE}), in this order: drive rows
 * ({@code DriveRepository.findLockedById}, several in UUID order), static IP and VLAN rows
 * ({@code IpAddressRepository.lock}, {@code VlanRepository.lock}), the metering watermark
 * ({@code MeterMarks.lock}), account rows ({@code AccountQuotaRepository},
 * {@code BillingAccountRepository.lockAccount}, several in UUID order) and last the drive totals
 * a drive's change adds to, the storage node's then the account's ({@code drive.DriveTotals},
 * after the drive's own row is written). They stay with their repositories.</li>
 * </ol>
 * <b>Where they live.</b> On PostgreSQL, as transaction-level advisory locks ({@link
 * AdvisoryLockTable}): every API instance on the database takes the same locks, and those of an
 * instance that dies go with its connections. On any other database (the single host's H2 file,
 * which one process alone can open), in this process's memory ({@link MemoryLockTable}). Either
 * way the callers of one process first queue in its memory ({@link LocalGate}), without a
 * database connection, so a burst of waiters does not empty the pool. Nobody waits longer than
 * {@link #WAIT} at each: then the call fails as {@code system}, and its transaction is rolled back.
 */
@Component
public class Locks {
    /** The longest wait for any one lock. Every holder's work is a few database statements. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final TransactionOperations tx;
    private final LockTable table;
    private final LocalGate gate = new LocalGate();
    private final Duration wait;

    @Autowired
    public Locks(TransactionTemplate tx, DataSource dataSource) {
        this(tx, tableFor(dataSource), WAIT);
    }

    Locks(TransactionOperations tx, LockTable table, Duration wait) {
        this.tx = tx;
        this.table = table;
        this.wait = wait;
    }

    LockTable table() {
        return table;
    }

    static LockTable tableFor(DataSource dataSource) {
        return onPostgres(dataSource) ? new AdvisoryLockTable(new JdbcTemplate(dataSource)) : new MemoryLockTable();
    }

    private static boolean onPostgres(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot tell which database the locks are to live in: " + e.getMessage(), e);
        }
    }

    /** Runs {@code action} in a transaction holding host {@code node}'s placement lock. */
    public <T> T host(String node, Supplier<T> action) {
        return holding(List.of(LockKey.host(node)), action);
    }

    /** As {@link #host(String, Supplier)}, for an action without a result. */
    public void host(String node, Runnable action) {
        host(node, asSupplier(action));
    }

    /**
     * As {@link #host(String, Supplier)} if no other caller of this process holds host {@code
     * node}'s lock now; otherwise nothing runs and the answer is empty, at once (a start then
     * tries its next best host rather than queue behind the others). A caller already in a
     * transaction (holding no gate, see {@link #holding}) takes it as {@link #host(String, Supplier)}
     * does. {@code action} answers non-null.
     */
    public <T> Optional<T> hostIfFree(String node, Supplier<T> action) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return Optional.of(host(node, action));
        }
        LockKey key = LockKey.host(node);
        return gate.tryLock(key).map(held -> through(held, List.of(key), action));
    }

    /** Runs {@code action} in a transaction holding the storage placement lock. */
    public <T> T storagePlacement(Supplier<T> action) {
        return holding(List.of(LockKey.STORAGE_PLACEMENT), action);
    }

    /** As {@link #storagePlacement(Supplier)}, for an action without a result. */
    public void storagePlacement(Runnable action) {
        storagePlacement(asSupplier(action));
    }

    /** Runs {@code action} in a transaction holding the lock of server {@code id}'s row transitions. */
    public <T> T server(UUID id, Supplier<T> action) {
        return holding(List.of(LockKey.server(id)), action);
    }

    /** As {@link #server(UUID, Supplier)}, for an action without a result. */
    public void server(UUID id, Runnable action) {
        server(id, asSupplier(action));
    }

    /**
     * Runs {@code action} in a transaction holding the stripes of {@code macs} (nulls ignored, case
     * ignored). Creates of different MACs proceed in parallel; one with no MAC holds none.
     */
    public <T> T macs(Collection<String> macs, Supplier<T> action) {
        return holding(macs.stream().filter(Objects::nonNull).map(LockKey::mac).distinct()
                .sorted((a, b) -> Integer.compare(a.id(), b.id())).toList(), action);
    }

    /** Runs {@code action} in a transaction holding every MAC stripe: no MAC changes hands meanwhile. */
    public <T> T allMacs(Supplier<T> action) {
        return holding(IntStream.range(0, LockKey.MAC_STRIPES).mapToObj(LockKey::macStripe).toList(), action);
    }

    /**
     * Stripes are taken in ascending order, so two holders never wait on each other. A caller not
     * yet in a transaction first waits at this process's {@link LocalGate} for the same keys,
     * without a connection, and lets go of it once its transaction has ended; a caller already in
     * one (a lock taken inside another's action) holds its connection anyway and goes straight to
     * the table. A gate is thus only ever taken by a thread that holds no lock, so it adds no wait
     * to a cycle.
     */
    private <T> T holding(List<LockKey> keys, Supplier<T> action) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return inTransaction(keys, action);
        }
        return through(gate.lock(keys, wait), keys, action);
    }

    /** {@code action} in a transaction holding {@code keys}, then the gate's {@code held} let go. */
    private <T> T through(LocalGate.Held held, List<LockKey> keys, Supplier<T> action) {
        try (held) {
            return inTransaction(keys, action);
        } catch (CannotCreateTransactionException unreachable) {
            gate.databaseFailed();
            throw unreachable;
        }
    }

    private <T> T inTransaction(List<LockKey> keys, Supplier<T> action) {
        return tx.execute(status -> {
            table.acquire(keys, wait);
            return action.get();
        });
    }

    private static Supplier<Void> asSupplier(Runnable action) {
        return () -> {
            action.run();
            return null;
        };
    }
}
