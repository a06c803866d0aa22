package io.elasticcloud.api.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What {@link Locks} must do on each lock table, on a real database: each named lock keeps a
 * second holder out until the first one's transaction ends (not merely until its action
 * returns), hands the action's result back, lets go on rollback, and a wait is bounded; MAC
 * stripes ignore case, and holding every stripe keeps any one MAC out. The second holder uses
 * {@link #second()}: another API instance where the table is shared between instances.
 */
abstract class LocksContract {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    /** The first holder's locks. */
    protected abstract Locks first();

    /** The second holder's locks: another instance's, where the table allows several. */
    protected abstract Locks second();

    /** As {@link #second()}, but waiting at most 300 ms. */
    protected abstract Locks impatient();

    /** The first holder's database, for a transaction of the test's own. */
    protected abstract DataSource dataSource();

    protected static TransactionTemplate transactions(DataSource dataSource) {
        return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void theHostPlacementLockHasOneHolderAtATime() throws Exception {
        assertExclusive(inside -> first().host("host-a", inside), inside -> second().host("host-a", inside));
    }

    /** Starts on different hosts are placed in parallel: one host's placement keeps out no other's. */
    @Test
    void twoHostsArePlacedOnAtOnce() throws Exception {
        whileHostAIsHeld(() -> assertThat(pool.submit(() -> second().host("host-b", () -> 2)).get(10, TimeUnit.SECONDS))
                .isEqualTo(2));
    }

    /**
     * A start tries the next host rather than queue at one another start of its instance holds:
     * {@code hostIfFree} answers at once, with nothing run, and runs the action once the host is free.
     */
    @Test
    void aHostAnotherCallerHoldsIsPassedAtOnce() throws Exception {
        whileHostAIsHeld(() -> {
            long begun = System.nanoTime();
            assertThat(first().hostIfFree("host-a", () -> 1)).isEmpty();
            assertThat(System.nanoTime() - begun).as("nanoseconds to pass the host")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
            assertThat(first().hostIfFree("host-b", () -> 2)).contains(2);
        });
        assertThat(first().hostIfFree("host-a", () -> 3)).contains(3);
    }

    /** A check that may throw. */
    private interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check} while another thread of the first instance holds host-a's placement lock. */
    private void whileHostAIsHeld(Check check) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = pool.submit(() -> first().host("host-a", () -> {
            entered.countDown();
            await(release);
        }));
        try {
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            check.run();
        } finally {
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theStoragePlacementLockHasOneHolderAtATime() throws Exception {
        assertExclusive(inside -> first().storagePlacement(inside), inside -> second().storagePlacement(inside));
    }

    @Test
    void oneServersLockHasOneHolderAtATime() throws Exception {
        UUID id = UUID.randomUUID();
        assertExclusive(inside -> first().server(id, inside), inside -> second().server(id, inside));
    }

    @Test
    void aMacsStripeIgnoresCase() throws Exception {
        assertExclusive(inside -> first().macs(List.of("52:54:00:AA:BB:CC"), () -> run(inside)),
                inside -> second().macs(List.of("52:54:00:aa:bb:cc"), () -> run(inside)));
    }

    @Test
    void everyStripeKeepsAnyMacOut() throws Exception {
        assertExclusive(inside -> first().allMacs(() -> run(inside)),
                inside -> second().macs(Arrays.asList(null, "52:54:00:01:02:03"), () -> run(inside)));
    }

    @Test
    void aLockTakenInsideALargerTransactionIsHeldToItsEnd() throws Exception {
        UUID id = UUID.randomUUID();
        // the server's action has returned; the transaction it joined goes on, and so does the lock
        assertExclusive(inside -> transactions(dataSource()).executeWithoutResult(status -> {
                    first().server(id, () -> { });
                    inside.run();
                }),
                inside -> second().server(id, inside));
    }

    @Test
    void aRolledBackTransactionLetsGo() throws Exception {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> first().server(id, () -> {
            throw ElasticException.usage("no");
        })).isInstanceOf(ElasticException.class);
        assertThat(pool.submit(() -> second().server(id, () -> 7)).get(10, TimeUnit.SECONDS)).isEqualTo(7);
    }

    @Test
    void anActionsResultIsAnswered() {
        assertThat(first().host("host-a", () -> 1)).isEqualTo(1);
        assertThat(first().storagePlacement(() -> 2)).isEqualTo(2);
        assertThat(first().server(UUID.randomUUID(), () -> 3)).isEqualTo(3);
        assertThat(first().macs(List.of(), () -> 4)).isEqualTo(4);
        assertThat(first().allMacs(() -> 5)).isEqualTo(5);
    }

    @Test
    void aLockNotFreeInTimeIsASystemErrorNamingIt() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = pool.submit(() -> first().storagePlacement(() -> {
            entered.countDown();
            await(release);
        }));
        try {
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> impatient().storagePlacement(() -> { }))
                    .isInstanceOfSatisfying(ElasticException.class, e -> {
                        assertThat(e.type()).isEqualTo(ErrorType.SYSTEM);
                        assertThat(e.getMessage()).isEqualTo("the storage placement lock was not free within 0 s; try again");
                    });
        } finally {
            release.countDown();
            holder.get(30, TimeUnit.SECONDS);
        }
    }

    private static Boolean run(Runnable action) {
        action.run();
        return true;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first holder waits inside until released; the second must not get in meanwhile. */
    private void assertExclusive(Consumer<Runnable> firstHolder, Consumer<Runnable> secondHolder) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = pool.submit(() -> firstHolder.accept(() -> {
            entered.countDown();
            await(release);
        }));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        CountDownLatch secondIn = new CountDownLatch(1);
        Future<?> waiter = pool.submit(() -> secondHolder.accept(secondIn::countDown));
        assertThat(secondIn.await(300, TimeUnit.MILLISECONDS)).as("second holder got in").isFalse();
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        waiter.get(30, TimeUnit.SECONDS);
        assertThat(secondIn.getCount()).isZero();
    }
}
