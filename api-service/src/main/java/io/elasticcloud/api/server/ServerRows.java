package io.elasticcloud.api.server;

import io.elasticcloud.api.lock.Locks;
import io.elasticcloud.protocol.ElasticException;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The server rows as every action moves them: the scopes each action's transaction runs in, with
 * the locks it holds, in the order {@link Locks} gives; and the row changes more than one action
 * makes. Database transactions never span a bus call: an action moves the row here, then tells
 * the host.
 */
@Component
class ServerRows {
    private final ServerRepository servers;
    private final TransactionTemplate tx;
    private final Locks locks;
    private final ServerNetwork network;
    private final VolumeExports exports;
    private final ServerTotals totals;

    ServerRows(ServerRepository servers, TransactionTemplate tx, Locks locks, ServerNetwork network,
               VolumeExports exports, ServerTotals totals) {
        this.totals = totals;
        this.servers = servers;
        this.tx = tx;
        this.locks = locks;
        this.network = network;
        this.exports = exports;
    }

    /** In a transaction holding server {@code id}'s lock to its end: a transition of its row. */
    <T> T onServer(UUID id, Supplier<T> action) {
        return locks.server(id, action);
    }

    /** As {@link #onServer(UUID, Supplier)}, for an action without a result. */
    void onServer(UUID id, Runnable action) {
        locks.server(id, action);
    }

    /** A start being placed on {@code node}: one transaction holding the host's placement lock, then the server's. */
    <T> T placing(String node, UUID id, Supplier<T> action) {
        return locks.host(node, () -> onServer(id, action));
    }

    /** As {@link #placing}, only if no other start of this process holds the host's lock (else empty, at once). */
    <T> Optional<T> placingIfFree(String node, UUID id, Supplier<T> action) {
        return locks.hostIfFree(node, () -> onServer(id, action));
    }

    /**
     * A {@code set}: one transaction holding the placement lock of the host the server is on, if it
     * is (a live {@code cpu} must fit the host), every MAC stripe (the MACs it may name), then the
     * server's lock. A server placed or moved between reading its host and taking its lock is read
     * again.
     */
    <T> T reconfiguring(UUID id, Supplier<T> action) {
        for (int attempt = 1; ; attempt++) {
            String host = hostOf(id);
            Supplier<T> checked = () -> locks.allMacs(() -> onServer(id, () -> {
                String now = hostOf(id);
                if (!Objects.equals(host, now)) {
                    throw new Moved();
                }
                return action.get();
            }));
            try {
                return host == null ? checked.get() : locks.host(host, checked);
            } catch (Moved moved) {
                if (attempt == MOVES) {
                    throw ElasticException.busy("server %s keeps being started and stopped; try again", id);
                }
            }
        }
    }

    /** The host server {@code id} is on, or null (none, or not on a host). */
    private String hostOf(UUID id) {
        return servers.findById(id).filter(s -> s.status().onHost()).map(Server::host).orElse(null);
    }

    /** Reads of a server's host before {@link #reconfiguring} it that may meet another start or stop. */
    private static final int MOVES = 5;

    /** The server was placed on another host (or left its host) between reading and locking it. */
    private static final class Moved extends RuntimeException {
        Moved() {
            super(null, null, false, false);
        }
    }

    /** A create: a transaction holding the stripes of {@code macs} (nulls ignored) to its end. */
    <T> T naming(Collection<String> macs, Supplier<T> action) {
        return locks.macs(macs, action);
    }

    /** In a transaction of its own, with no lock. */
    <T> T inTransaction(Supplier<T> action) {
        return tx.execute(status -> action.get());
    }

    /** As {@link #inTransaction(Supplier)}, for an action without a result. */
    void inTransaction(Runnable action) {
        tx.executeWithoutResult(status -> action.run());
    }

    Optional<Server> find(UUID id) {
        return servers.findById(id);
    }

    Server save(Server server) {
        return servers.save(server);
    }

    /** A new server's row, counted in its account's total ({@link ServerTotals}). */
    Server add(Server server) {
        return totals.add(server);
    }

    /** A server's row gone, counted out of its account's total. */
    void delete(Server server) {
        totals.remove(server);
    }

    /** The user's server; {@code missing} if there is none, or it is another's. */
    Server owned(UUID user, UUID id) {
        return servers.findById(id).filter(s -> s.owner().equals(user)).orElseThrow(() -> missing(id));
    }

    static ElasticException missing(UUID id) {
        return ElasticException.missing("no server %s", id);
    }

    /**
     * The row of a guest that ended: stopped if persistent, else gone; its temporary address given
     * back and its drives' exports let go.
     */
    void ended(Server server) {
        network.release(server.id());
        off(server);
    }

    /**
     * The row of a guest about to be stopped by us: as {@link #ended}, but its temporary address
     * stays held, ended, until {@link #guestStopped} (the guest answers DHCP with it until the host
     * stops it; given to another start meanwhile, that start would be refused by the host).
     * Answers whether it held one.
     */
    boolean stopping(Server server) {
        boolean held = network.end(server.id());
        off(server);
        return held;
    }

    private void off(Server server) {
        exports.released(server);
        if (server.persistent()) {
            server.off(ServerStatus.STOPPED);
            servers.save(server);
        } else {
            totals.remove(server);
        }
    }

    /** The host has stopped server {@code id}'s guest: the address its stop kept may go to another. */
    void guestStopped(UUID id) {
        network.releaseEnded(id);
    }

    /** A server whose guest is gone from its host: its temporary address may go to another. */
    void releaseAddress(UUID id) {
        network.release(id);
    }

    /**
     * A server destroyed, its guest perhaps still running: its temporary address is kept until
     * {@link #guestStopped}. Answers whether it held one.
     */
    boolean endAddress(UUID id) {
        return network.end(id);
    }

    /** A server left its host other than by {@link #ended}: its drives' exports are let go soon. */
    void releaseExports(Server server) {
        exports.released(server);
    }

    /**
     * Back to stopped, with its temporary address given back (unless it was started again since).
     * Given back at once, not kept as a stop's is: a customer could have starts refused at will,
     * and each kept address would hold one of the pools' for a while after its server was gone.
     */
    void undoStart(Server started) {
        onServer(started.id(), () -> {
            Optional<Server> row = servers.findById(started.id());
            row.filter(s -> s.status() == ServerStatus.ACTIVE && started.startedAt().equals(s.startedAt()))
                    .ifPresent(s -> {
                        s.off(ServerStatus.STOPPED);
                        servers.save(s);
                    });
            if (row.isEmpty() || !row.get().status().onHost()) {
                network.release(started.id());
            }
            exports.released(started);
        });
    }
}
