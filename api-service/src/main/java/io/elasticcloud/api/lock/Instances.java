package io.elasticcloud.api.lock;

import jakarta.annotation.PostConstruct;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This API instance among the others on the same database (table {@code api_instance}): a random
 * id for the life of the process, and a heartbeat every {@link #HEARTBEAT}. What an instance holds
 * beyond one transaction (a start in flight, {@code ServerActivity}) names it, and is over once it
 * has been silent for {@link #SILENT}: a killed instance's leases end with it, not when they run
 * out. The first heartbeat is written as the instance starts (its schema migrated: the
 * {@link JdbcTemplate} comes after Flyway), so no lease is ever taken before its row exists. Rows of
 * instances silent for a day are removed.
 */
@Component
public class Instances {
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration SILENT = HEARTBEAT.multipliedBy(3);
    private static final Duration FORGOTTEN = Duration.ofDays(1);

    private final UUID id = UUID.randomUUID();
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Instant started;

    public Instances(JdbcTemplate jdbc, Optional<Clock> clock) {
        this.jdbc = jdbc;
        this.clock = clock.orElse(Clock.systemUTC());
        this.started = this.clock.instant();
    }

    /** This instance's id. */
    public UUID id() {
        return id;
    }

    /** Says this instance is alive now. */
    @PostConstruct
    @Scheduled(fixedDelayString = "PT5S")
    public synchronized void heartbeat() {
        Instant now = clock.instant();
        if (jdbc.update("UPDATE api_instance SET seen_at = ? WHERE id = ?", at(now), id) == 0) {
            jdbc.update("INSERT INTO api_instance (id, started_at, seen_at) VALUES (?, ?, ?)", id, at(started),
                    at(now));
            jdbc.update("DELETE FROM api_instance WHERE seen_at < ?", at(now.minus(FORGOTTEN)));
        }
    }

    /** Whether an instance last seen at {@code seenAt} (null: never) still counts as alive. */
    public boolean alive(OffsetDateTime seenAt) {
        return seenAt != null && seenAt.toInstant().plus(SILENT).isAfter(clock.instant());
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
