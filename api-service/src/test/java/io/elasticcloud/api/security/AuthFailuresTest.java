package io.elasticcloud.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.frontdoor.FrontDoorProperties;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AuthFailuresTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final AuthFailures failures = new AuthFailures(new FrontDoorProperties(64, 64, Duration.ofSeconds(20), 500,
            3, Duration.ofSeconds(6), 64, Duration.ofSeconds(2), 512), now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void aBurstThenOneFailurePerInterval() {
        for (int i = 0; i < 3; i++) {
            assertThat(failures.secondsToWait("192.0.2.7")).as("failure %d", i).isZero();
            failures.failed("192.0.2.7");
        }
        assertThat(failures.secondsToWait("192.0.2.7")).isEqualTo(6);
        advance(Duration.ofSeconds(5));
        assertThat(failures.secondsToWait("192.0.2.7")).isEqualTo(1);
        advance(Duration.ofSeconds(1));
        assertThat(failures.secondsToWait("192.0.2.7")).isZero();
        failures.failed("192.0.2.7");
        assertThat(failures.secondsToWait("192.0.2.7")).as("one more, then held back again").isEqualTo(6);
    }

    @Test
    void failingOnAndOnNeverDeepensTheWaitBeyondOneInterval() {
        for (int i = 0; i < 100; i++) {
            failures.failed("192.0.2.8");
        }
        assertThat(failures.secondsToWait("192.0.2.8")).isEqualTo(6);
    }

    @Test
    void theBudgetComesBackWhole() {
        for (int i = 0; i < 3; i++) {
            failures.failed("192.0.2.9");
        }
        advance(Duration.ofSeconds(18));
        for (int i = 0; i < 3; i++) {
            assertThat(failures.secondsToWait("192.0.2.9")).isZero();
            failures.failed("192.0.2.9");
        }
        assertThat(failures.secondsToWait("192.0.2.9")).isPositive();
    }

    @Test
    void anotherAddressHasItsOwnBudgetUnlessTheySharedASlot() {
        for (int i = 0; i < 3; i++) {
            failures.failed("192.0.2.10");
        }
        int free = 0;
        for (int i = 0; i < 32; i++) {
            if (failures.secondsToWait("198.51.100." + i) == 0) {
                free++;
            }
        }
        assertThat(free).as("addresses of 32 unaffected by another's failures (64 slots)").isGreaterThanOrEqualTo(28);
    }
}
