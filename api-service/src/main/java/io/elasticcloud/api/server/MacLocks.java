package io.elasticcloud.api.server;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * What keeps MAC addresses unique among servers: a command that gives a server a MAC (a random one
 * at create, or one the user names) checks that no other server has it and commits, holding the
 * lock of that MAC's stripe, so two commands never both find the same MAC free. Creates of
 * different MACs proceed in parallel (a create with no interface holds none); {@code set}, rare,
 * holds every stripe. Stripes are taken in one order, so two holders never wait on each other.
 */
@Component
class MacLocks {
    private static final int STRIPES = 64;
    private final Object[] stripes = new Object[STRIPES];

    MacLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /** Runs {@code action} (which commits) holding the stripes of {@code macs} (nulls ignored). */
    <T> T holding(Collection<String> macs, Supplier<T> action) {
        int[] held = macs.stream().filter(Objects::nonNull)
                .mapToInt(mac -> Math.floorMod(mac.toLowerCase(Locale.ROOT).hashCode(), STRIPES))
                .distinct().sorted().toArray();
        return hold(held, 0, action);
    }

    /** Runs {@code action} holding every stripe: no MAC changes hands meanwhile. */
    <T> T holdingAll(Supplier<T> action) {
        int[] all = new int[STRIPES];
        Arrays.setAll(all, i -> i);
        return hold(all, 0, action);
    }

    private <T> T hold(int[] held, int next, Supplier<T> action) {
        if (next == held.length) {
            return action.get();
        }
        synchronized (stripes[held[next]]) {
            return hold(held, next + 1, action);
        }
    }
}
