package io.elasticcloud.api.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * What this API service is doing to servers right now, in memory only: the starts in flight, and
 * when each server was last commanded (the per-server locks around their row's transitions are
 * {@code Locks.server}). Reconciliation leaves a server alone while a command of ours is
 * in flight or was sent within {@link #GRACE} before the report it reads, so a heartbeat taken
 * before our start or stop does not undo it. After a restart nothing is in flight, and reports
 * are believed at once.
 */
@Component
public class ServerActivity {
    static final Duration GRACE = Duration.ofSeconds(10);

    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Instant> touched = new ConcurrentHashMap<>();
    private final Clock clock;

    public ServerActivity(Optional<Clock> clock) {
        this.clock = clock.orElse(Clock.systemUTC());
    }

    void begin(UUID server) {
        inFlight.add(server);
        touch(server);
    }

    void end(UUID server) {
        touch(server);
        inFlight.remove(server);
    }

    void touch(UUID server) {
        touched.put(server, clock.instant());
    }

    /** Whether a report made at {@code reportedAt} may be believed over our own recent commands. */
    boolean quiet(UUID server, Instant reportedAt) {
        if (inFlight.contains(server)) {
            return false;
        }
        Instant last = touched.get(server);
        return last == null || last.plus(GRACE).isBefore(reportedAt);
    }
}
