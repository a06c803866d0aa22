package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling: every wait of the system tests ends, with a message that says what was awaited. */
final class Wait {
    private static final Duration POLL = Duration.ofMillis(250);

    private Wait() {
    }

    /** Polls {@code condition} every 250 ms until it holds; fails after {@code limit}. */
    static void until(String what, Duration limit, BooleanSupplier condition) {
        until(what, limit, condition, () -> "");
    }

    /** As {@link #until(String, Duration, BooleanSupplier)}; {@code context} is added to the failure. */
    static void until(String what, Duration limit, BooleanSupplier condition, Supplier<String> context) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + limit + ": " + what + "\n" + context.get());
            }
            RunningSystem.sleep(POLL);
        }
    }
}
