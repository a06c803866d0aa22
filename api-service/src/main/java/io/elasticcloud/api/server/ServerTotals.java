package io.elasticcloud.api.server;

import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one way a server row comes and goes, and the total that keeps: per account the number of its
 * servers, which the quota check of a create reads in one row ({@link ServerHoldings}) instead of
 * counting the account's servers, as {@code drive.DriveTotals} does for drives.
 *
 * <p>The total is changed in the transaction that adds or removes the row, by an increment (never
 * lost between two writers), after the row itself is written, so a removal that finds the row gone
 * fails before it counts. A server is removed only under its lock ({@link ServerRows#onServer}), the
 * undo of a create that failed to start it included, so it is counted out once. An account's total row is first
 * inserted by a create, and creates hold the account's row lock (the quota check, {@code
 * quota.Admission}), so no two transactions insert the same row. Each method joins the caller's
 * transaction (or has its own).
 */
@Component
@Transactional
class ServerTotals {
    private final ServerRepository servers;
    private final JdbcTemplate jdbc;

    ServerTotals(ServerRepository servers, JdbcTemplate jdbc) {
        this.servers = servers;
        this.jdbc = jdbc;
    }

    /** Records the new {@code server} and counts it in. */
    Server add(Server server) {
        Server saved = servers.saveAndFlush(server);
        count(saved.owner(), 1);
        return saved;
    }

    /** Removes {@code server}'s row and counts it out. */
    void remove(Server server) {
        servers.delete(server);
        servers.flush();
        count(server.owner(), -1);
    }

    /** The servers {@code owner} holds. */
    long countOf(UUID owner) {
        return jdbc.query("SELECT servers FROM account_servers WHERE owner_id = ?",
                rs -> rs.next() ? rs.getLong(1) : 0L, owner);
    }

    private void count(UUID owner, int servers) {
        if (jdbc.update("UPDATE account_servers SET servers = servers + ? WHERE owner_id = ?", servers, owner) == 0) {
            jdbc.update("INSERT INTO account_servers (owner_id, servers) VALUES (?, ?)", owner, servers);
        }
    }
}
