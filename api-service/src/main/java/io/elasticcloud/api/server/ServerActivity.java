package io.elasticcloud.api.server;

import io.elasticcloud.api.ApiProperties;
import io.elasticcloud.api.lock.Instances;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the API instances are doing to servers right now, kept in the server's row so that every
 * instance sees every instance's commands: the starts in flight, and when each server was last
 * commanded (the per-server locks around their row's transitions are {@code Locks.server}).
 * Reconciliation leaves a server alone while a start is in flight or a command was sent within
 * {@link #GRACE} before the report it reads, so a heartbeat taken before a start or stop does not
 * undo it. A start in flight is a lease held by its instance ({@code busy_by}), over when the
 * longest a start's calls may take has passed ({@link #lease}) or when its instance has fallen
 * silent ({@link Instances#SILENT}), whichever comes first. A server whose row is gone
 * (destroyed) has no record: a report of its guest is believed, and destroying it again is harmless.
 */
@Component
public class ServerActivity {
    static final Duration GRACE = Duration.ofSeconds(10);

    private final JdbcTemplate jdbc;
    private final Instances instances;
    private final Clock clock;
    /** A start's three calls (place, attach volumes, start the guest), each within the bus timeout. */
    private final Duration lease;

    public ServerActivity(JdbcTemplate jdbc, Instances instances, ApiProperties properties, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.instances = instances;
        this.clock = clock.orElse(Clock.systemUTC());
        this.lease = properties.busTimeout().multipliedBy(3).plus(GRACE);
    }

    void begin(UUID server) {
        Instant now = clock.instant();
        jdbc.update("UPDATE server SET busy_until = ?, busy_by = ?, commanded_at = ? WHERE id = ?", at(now.plus(lease)),
                instances.id(), at(now), server);
    }

    void end(UUID server) {
        jdbc.update("UPDATE server SET busy_until = NULL, busy_by = NULL, commanded_at = ? WHERE id = ?",
                at(clock.instant()), server);
    }

    void touch(UUID server) {
        jdbc.update("UPDATE server SET commanded_at = ? WHERE id = ?", at(clock.instant()), server);
    }

    /** Whether a report made at {@code reportedAt} may be believed over the instances' recent commands. */
    boolean quiet(UUID server, Instant reportedAt) {
        Instant now = clock.instant();
        List<Boolean> quiet = jdbc.query("SELECT s.busy_until, s.commanded_at, i.seen_at FROM server s"
                + " LEFT JOIN api_instance i ON i.id = s.busy_by WHERE s.id = ?", (rs, n) -> {
                    OffsetDateTime busyUntil = rs.getObject(1, OffsetDateTime.class);
                    OffsetDateTime commanded = rs.getObject(2, OffsetDateTime.class);
                    boolean busy = busyUntil != null && busyUntil.toInstant().isAfter(now)
                            && instances.alive(rs.getObject(3, OffsetDateTime.class));
                    return !busy && (commanded == null || commanded.toInstant().plus(GRACE).isBefore(reportedAt));
                }, server);
        return quiet.isEmpty() || quiet.get(0);
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
