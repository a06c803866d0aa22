package io.elasticcloud.api.server;

import io.elasticcloud.api.drive.Drive;
import io.elasticcloud.api.host.HostPlacement;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.HostInfo;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Where a server runs: the host a start is placed on, chosen by {@link HostPlacement} from what
 * the servers' rows hold on each host, and the room a live {@code cpu} change has on its host.
 * A start ranks the hosts without a lock, then takes the placement lock of the best one no other
 * start of this process is placing on (of the best {@link #SPREAD}; if all are, it waits for the
 * best), and checks again under it that the server fits there, from choosing to committing the row
 * ({@link ServerRows#placing}); a {@code set} holds its server's host's lock ({@link
 * ServerRows#reconfiguring}).
 */
@Component
class ServerPlacer {
    /** How many of the best hosts a start tries before it waits for the best one's lock. */
    static final int SPREAD = 8;
    /** Rankings a start may make when the host it locked was filled (or left) in the meantime. */
    private static final int ATTEMPTS = 10;
    private static final ServerUseOnHost NOTHING_USED = new ServerUseOnHost(null, 0, 0);

    private final ServerRepository servers;
    private final ServerRows rows;
    private final DriveAttachments attachments;
    private final HostPlacement placement;
    private final ServerAllowance allowance;
    private final Clock clock;

    ServerPlacer(ServerRepository servers, ServerRows rows, DriveAttachments attachments, HostPlacement placement,
                 ServerAllowance allowance, Optional<Clock> clock) {
        this.servers = servers;
        this.rows = rows;
        this.attachments = attachments;
        this.placement = placement;
        this.allowance = allowance;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** @param machine the host's machine ({@code HostInfo.host}), for the drives' storage nodes */
    record Placed(Server server, ServerConfig config, Map<String, Drive> drives, String machine) {
    }

    /**
     * The user's stopped server, placed and recorded {@code active}; {@code busy} if it is on a host
     * already. {@code created}: its row as a create just inserted it, from which the first ranking
     * is made without reading it again (null: read it); it is read, and checked, under the lock.
     */
    Placed place(UUID user, UUID id, Server created) {
        Server known = created;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            List<HostInfo> ranked = ranked(known != null ? known : stopped(user, id));
            known = null; // a later ranking reads the row again: a set may have changed it since
            try {
                for (HostInfo host : ranked) {
                    Optional<Placed> placed = rows.placingIfFree(host.node(), id, () -> placeOn(user, id, host));
                    if (placed.isPresent()) {
                        return placed.get();
                    }
                }
                return rows.placing(ranked.get(0).node(), id, () -> placeOn(user, id, ranked.get(0)));
            } catch (Taken taken) {
                // the host was filled, left or avoided since it was ranked: rank again
            }
        }
        throw ElasticException.full("no host kept room for server %s: each was taken by other starts first; try again", id);
    }

    /** The best {@link #SPREAD} hosts the stopped server fits, best first, as read now (no lock). */
    private List<HostInfo> ranked(Server server) {
        ServerConfig config = ServerConfig.of(server);
        Map<String, ServerUseOnHost> used = new HashMap<>();
        servers.sumCpuMemByHost().forEach(use -> used.put(use.host(), use));
        return placement.ranked(config.cpu(), config.mem(), attachments.avoidedHosts(server.owner(), server.id(), config),
                node -> used.getOrDefault(node, NOTHING_USED).cpu(), node -> used.getOrDefault(node, NOTHING_USED).mem(),
                SPREAD);
    }

    /**
     * Under {@code host}'s placement lock and the server's: the server, checked and recorded
     * {@code active} there; {@link Taken} if it no longer fits there.
     */
    private Placed placeOn(UUID user, UUID id, HostInfo host) {
        Server server = stopped(user, id);
        ServerConfig config = ServerConfig.of(server);
        Map<String, Drive> attached = attachments.claimable(user, id, config);
        allowance.running(user, config.cpu(), config.mem());
        ServerUse used = servers.useOnHost(host.node());
        if (!placement.fits(host, config.cpu(), config.mem(), attachments.avoidedHosts(user, id, config),
                used.cpu(), used.mem())) {
            throw new Taken();
        }
        int vcpus = GuestSpecFactory.vcpus(config.smp(), config.cpu(), host);
        server.started(host.node(), clock.instant().truncatedTo(ChronoUnit.MILLIS), 1, vcpus);
        return new Placed(servers.save(server), config, attached, host.host());
    }

    private Server stopped(UUID user, UUID id) {
        Server server = servers.findById(id).filter(s -> s.owner().equals(user))
                .orElseThrow(() -> ServerRows.missing(id));
        if (server.status().onHost()) {
            throw ElasticException.busy("server %s is %s already", id, server.status().apiName());
        }
        return server;
    }

    /** Core MHz the server's host has for it: the host's capacity less what the others there hold. */
    long roomOn(Server server) {
        return HostPlacement.capacityCpu(placement.host(server.host())) - servers.sumCpuOnHost(server.host())
                + server.cpu();
    }

    /** The host ranked for a start no longer fits it under its lock. */
    private static final class Taken extends RuntimeException {
        Taken() {
            super(null, null, false, false);
        }
    }
}
