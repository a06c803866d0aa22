package io.elasticcloud.api.server;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The last temporary addresses each server took ({@value #KEPT} at most), kept after the server
 * gave them back: clients read a running server's info and send it back later, when the server
 * may have stopped and started again, and {@code set} takes such an echo as {@code auto}. Only the
 * server's own former addresses: anyone else's stays {@code 400 usage}.
 *
 * <p>Rows of their own, not a column of the server: a start records its address while a {@code
 * set} of the same server may be saving the entity, and neither must undo the other.
 */
@Component
public class FormerAddresses {
    static final int KEPT = 8;
    private static final String FORGET = "DELETE FROM server_former_address WHERE server_id = ? AND address = ?";
    private static final String ADD = "INSERT INTO server_former_address (server_id, address, taken_at) VALUES (?, ?, ?)";
    private static final String NEWEST_FIRST = "SELECT address FROM server_former_address WHERE server_id = ?"
            + " ORDER BY taken_at DESC, address";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public FormerAddresses(DataSource dataSource, TransactionTemplate tx, Optional<Clock> clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = tx;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** Records that {@code server} took {@code address} now, forgetting the oldest beyond {@value #KEPT}. */
    void took(UUID server, String address) {
        Timestamp now = Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        try {
            tx.executeWithoutResult(status -> {
                jdbc.update(FORGET, server, address);
                jdbc.update(ADD, server, address, now);
                List<String> kept = jdbc.queryForList(NEWEST_FIRST, String.class, server);
                kept.stream().skip(KEPT).forEach(old -> jdbc.update(FORGET, server, old));
            });
        } catch (DataIntegrityViolationException gone) {
            // the server was destroyed meanwhile: nothing to remember
        }
    }

    /** Whether {@code address} is one of the last temporary addresses {@code server} took. */
    boolean heldBy(UUID server, String address) {
        return jdbc.queryForList(NEWEST_FIRST, String.class, server).contains(address);
    }
}
