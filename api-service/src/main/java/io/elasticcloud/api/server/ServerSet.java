package io.elasticcloud.api.server;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.AgentCommands.SetGuestLive;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * {@code set}: changes the configuration, every key while stopped; while on a host, the {@link
 * #LIVE} keys and {@code user:*} (a name or CPU change reaches the guest at once), any other key
 * that would change is {@code busy}.
 */
@Service
public class ServerSet {
    /** What {@code set} may change while the guest runs (section 3). */
    static final Set<String> LIVE = Set.of("name", "cpu", "persistent", "tags", "vnc:password");

    private final ServerRows rows;
    private final ServerReferences references;
    private final ServerNetwork network;
    private final ServerPlacer placer;
    private final ServerAllowance allowance;
    private final NodeClient agents;
    private final SealedVncPassword seal;

    ServerSet(ServerRows rows, ServerReferences references, ServerNetwork network, ServerPlacer placer,
              ServerAllowance allowance, NodeClient agents, SealedVncPassword seal) {
        this.rows = rows;
        this.references = references;
        this.network = network;
        this.placer = placer;
        this.allowance = allowance;
        this.agents = agents;
        this.seal = seal;
    }

    /**
     * Raising {@code cpu} live must fit the host ({@code full}). Raising {@code cpu} or {@code mem}
     * is checked by billing: on a host, for what it adds; stopped, as if the server ran with its
     * new configuration. The host refusing a live change puts the configuration back.
     */
    public Server set(UUID user, UUID id, Map<String, String> keys) {
        ServerRequest parsed = ServerRequest.parse(keys);
        Server[] before = new Server[1];
        Server after = rows.reconfiguring(id, () -> {
            Server server = rows.owned(user, id);
            ServerRequest request = network.withEchoes(user, server, parsed);
            ServerConfig current = ServerConfig.of(server);
            ServerConfig next = references.check(user, id, current.with(request).complete());
            if (server.status().onHost()) {
                for (String key : request.keys()) {
                    if (!LIVE.contains(key) && !Objects.equals(current.get(key), next.get(key))) {
                        throw ElasticException.busy("%s cannot change while server %s is active", key, id);
                    }
                }
            }
            if (next.cpu() > server.cpu() || next.mem() > server.mem()) {
                if (server.status().onHost()) {
                    allowance.running(user, next.cpu() - server.cpu(), next.mem() - server.mem());
                } else {
                    allowance.running(user, next.cpu(), next.mem());
                }
            }
            if (server.status().onHost()) {
                long room = placer.roomOn(server);
                if (next.cpu() > server.cpu() && next.cpu() > room) {
                    throw ElasticException.full("cpu %d does not fit server %s's host (%d core MHz free)",
                            next.cpu(), id, room);
                }
            }
            before[0] = new Server(server.id(), server.owner(), current, server.createdAt(), seal);
            server.configure(references.withMacs(next), seal);
            server.dialect(request.dhcpShowsAddress());
            return rows.save(server);
        });
        Server was = before[0];
        if (after.status().onHost() && (!was.name().equals(after.name()) || was.cpu() != after.cpu())) {
            try {
                agents.call(after.host(), new SetGuestLive("set-" + UUID.randomUUID(), id.toString(),
                        was.cpu() != after.cpu() ? after.cpu() : null,
                        was.name().equals(after.name()) ? null : after.name()));
            } catch (RuntimeException e) {
                rows.inTransaction(() -> rows.find(id).ifPresent(s -> {
                    s.configure(ServerConfig.of(was), seal);
                    rows.save(s);
                }));
                throw e;
            }
        }
        return after;
    }
}
