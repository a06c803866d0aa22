package io.elasticcloud.api.server;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuest;
import io.elasticcloud.protocol.agent.GuestInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * What the browser console needs of a server: whether its owner may open one, where its VNC
 * listens on its host (the pool's mapping of its console address, the port its host reports) with
 * the password to answer it, and whether it still runs where it ran when the console opened. The
 * target comes only from the server's row and its host, never from the client.
 */
@Service
public class ServerConsoles {
    private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(5);

    private final ServerRows rows;
    private final ServerRepository servers;
    private final ServerNetwork network;
    private final NodeClient agents;

    ServerConsoles(ServerRows rows, ServerRepository servers, ServerNetwork network, NodeClient agents) {
        this.rows = rows;
        this.servers = servers;
        this.network = network;
        this.agents = agents;
    }

    /**
     * Where a console of {@code server} connects: its host's VNC address and port, the server's
     * password (never shown to the console's viewer), whether VNC speaks TLS; and the run it
     * belongs to ({@code host}, {@code startedAt}), so the console ends with that run.
     */
    public record Target(UUID server, UUID owner, String host, Instant startedAt, String address, int port,
                         String password, boolean tls) {
        @Override
        public String toString() { // never the password
            return "server " + server + " on " + host + " at " + address + ":" + port + (tls ? " (tls)" : "");
        }
    }

    /**
     * The caller's own server, if a console may open on it now: on a host and with VNC on. Another
     * customer's server is missing, as everywhere.
     */
    public UUID consoleable(UUID user, UUID id) {
        Server server = rows.owned(user, id);
        check(server);
        return server.id();
    }

    /** Where the console of {@code id} (owned by {@code user}) connects now, asking its host for the port. */
    public Target target(UUID user, UUID id) {
        Server server = rows.owned(user, id);
        check(server);
        ServerConfig config = ServerConfig.of(server);
        String address = network.shown(server, config).vncListen();
        if (address == null) {
            throw ElasticException.failed("server %s has no console address now", id);
        }
        GuestInfo guest = agents.call(server.host(),
                new DescribeGuest("describe-" + UUID.randomUUID(), id.toString()), DESCRIBE_TIMEOUT);
        if (guest.vncPort() <= 0) {
            throw ElasticException.failed("server %s: its host reports no console", id);
        }
        return new Target(id, server.owner(), server.host(), server.startedAt(), address, guest.vncPort(),
                server.config().get("vnc:password"), "on".equals(config.get("vnc:tls")));
    }

    /** Those of {@code targets} whose server still runs the same run (same host, same start), in one query. */
    public Set<UUID> stillRunning(Collection<Target> targets) {
        Set<UUID> running = new HashSet<>();
        for (Server now : servers.findAllById(targets.stream().map(Target::server).distinct().toList())) {
            targets.stream().filter(t -> t.server().equals(now.id())).findFirst().ifPresent(t -> {
                if (now.status().onHost() && Objects.equals(now.host(), t.host())
                        && Objects.equals(now.startedAt(), t.startedAt())) {
                    running.add(now.id());
                }
            });
        }
        return running;
    }

    private static void check(Server server) {
        if (!server.status().onHost()) {
            throw ElasticException.busy("server %s is %s: a console opens on an active server", server.id(),
                    server.status().apiName());
        }
        if (!ServerConfig.of(server).vnc()) {
            throw ElasticException.usage("server %s has no console: set vnc:password (at its next start)", server.id());
        }
    }
}
