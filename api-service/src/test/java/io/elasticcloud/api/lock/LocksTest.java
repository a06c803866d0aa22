package io.elasticcloud.api.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each named lock keeps a second holder out until the first is done, and hands the action's
 * result back; MAC stripes ignore case, and holding every stripe keeps any one MAC out.
 */
class LocksTest {
    private final Locks locks = new Locks();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void theHostPlacementLockHasOneHolderAtATime() throws Exception {
        assertExclusive(inside -> locks.hostPlacement(inside), inside -> locks.hostPlacement(inside));
    }

    @Test
    void theStoragePlacementLockHasOneHolderAtATime() throws Exception {
        assertExclusive(inside -> locks.storagePlacement(inside), inside -> locks.storagePlacement(inside));
    }

    @Test
    void oneServersLockHasOneHolderAtATime() throws Exception {
        UUID id = UUID.randomUUID();
        assertExclusive(inside -> locks.server(id, inside), inside -> locks.server(id, inside));
    }

    @Test
    void aMacsStripeIgnoresCase() throws Exception {
        assertExclusive(inside -> locks.macs(List.of("52:54:00:AA:BB:CC"), () -> run(inside)),
                inside -> locks.macs(List.of("52:54:00:aa:bb:cc"), () -> run(inside)));
    }

    @Test
    void everyStripeKeepsAnyMacOut() throws Exception {
        assertExclusive(inside -> locks.allMacs(() -> run(inside)),
                inside -> locks.macs(java.util.Arrays.asList(null, "52:54:00:01:02:03"), () -> run(inside)));
    }

    @Test
    void anActionsResultIsAnswered() {
        assertThat(locks.hostPlacement(() -> 1)).isEqualTo(1);
        assertThat(locks.storagePlacement(() -> 2)).isEqualTo(2);
        assertThat(locks.server(UUID.randomUUID(), () -> 3)).isEqualTo(3);
        assertThat(locks.macs(List.of(), () -> 4)).isEqualTo(4);
        assertThat(locks.allMacs(() -> 5)).isEqualTo(5);
    }

    private static Boolean run(Runnable action) {
        action.run();
        return true;
    }

    /** The first holder waits inside until released; the second must not get in meanwhile. */
    private void assertExclusive(Consumer<Runnable> first, Consumer<Runnable> second) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> holder = pool.submit(() -> first.accept(() -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        CountDownLatch secondIn = new CountDownLatch(1);
        Future<?> waiter = pool.submit(() -> second.accept(secondIn::countDown));
        assertThat(secondIn.await(300, TimeUnit.MILLISECONDS)).as("second holder got in").isFalse();
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        waiter.get(30, TimeUnit.SECONDS);
        assertThat(secondIn.getCount()).isZero();
    }
}
