package io.elasticcloud.api.server;

import io.elasticcloud.api.drive.Drive;
import io.elasticcloud.api.host.HostPlacement;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.HostInfo;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Where a server runs: the host a start is placed on, chosen by {@link HostPlacement} from what
 * the servers' rows hold on each host, and the room a live {@code cpu} change has on its host.
 * Callers hold the host placement lock from choosing to committing the row ({@link
 * ServerRows#placing}, {@link ServerRows#reconfiguring}).
 */
@Component
class ServerPlacer {
    private static final ServerUseOnHost NOTHING_USED = new ServerUseOnHost(null, 0, 0);

    private final ServerRepository servers;
    private final DriveAttachments attachments;
    private final HostPlacement placement;
    private final ServerAllowance allowance;
    private final Clock clock;

    ServerPlacer(ServerRepository servers, DriveAttachments attachments, HostPlacement placement,
                 ServerAllowance allowance, Optional<Clock> clock) {
        this.servers = servers;
        this.attachments = attachments;
        this.placement = placement;
        this.allowance = allowance;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** @param machine the host's machine ({@code HostInfo.host}), for the drives' storage nodes */
    record Placed(Server server, ServerConfig config, Map<String, Drive> drives, String machine) {
    }

    /** The user's stopped server, placed and recorded {@code active}; {@code busy} if it is on a host already. */
    Placed place(UUID user, UUID id) {
        Server server = servers.findById(id).filter(s -> s.owner().equals(user))
                .orElseThrow(() -> ServerRows.missing(id));
        if (server.status().onHost()) {
            throw ElasticException.busy("server %s is %s already", id, server.status().apiName());
        }
        ServerConfig config = ServerConfig.of(server);
        Map<String, Drive> attached = attachments.claimable(user, id, config);
        allowance.running(user, config.cpu(), config.mem());
        Map<String, ServerUseOnHost> used = new HashMap<>();
        servers.sumCpuMemByHost().forEach(use -> used.put(use.host(), use));
        HostInfo host = placement.choose(config.cpu(), config.mem(), attachments.avoidedHosts(user, id, config),
                node -> used.getOrDefault(node, NOTHING_USED).cpu(), node -> used.getOrDefault(node, NOTHING_USED).mem());
        int vcpus = GuestSpecFactory.vcpus(config.smp(), config.cpu(), host);
        server.started(host.node(), clock.instant().truncatedTo(ChronoUnit.MILLIS), 1, vcpus);
        return new Placed(servers.save(server), config, attached, host.host());
    }

    /** Core MHz the server's host has for it: the host's capacity less what the others there hold. */
    long roomOn(Server server) {
        return HostPlacement.capacityCpu(placement.host(server.host())) - servers.sumCpuOnHost(server.host())
                + server.cpu();
    }
}
