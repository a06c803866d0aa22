package io.elasticcloud.api.server;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuest;
import io.elasticcloud.protocol.agent.GuestInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/** What a customer may see of their servers: the list, one server, and its info keys. */
@Service
public class ServerReads {
    private static final Logger log = LoggerFactory.getLogger(ServerReads.class);
    private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(2);

    private final ServerRepository servers;
    private final ServerRows rows;
    private final NodeClient agents;
    private final ServerNetwork network;

    ServerReads(ServerRepository servers, ServerRows rows, NodeClient agents, ServerNetwork network) {
        this.servers = servers;
        this.rows = rows;
        this.agents = agents;
        this.network = network;
    }

    public List<Server> list(UUID user) {
        return servers.findByOwnerOrderByCreatedAtAscIdAsc(user);
    }

    public Server owned(UUID user, UUID id) {
        return rows.owned(user, id);
    }

    /**
     * Its info keys, with the host's counters while it is on one (left out if the host does not
     * answer). The row is read again once the host has answered, so that the status is the one at
     * the answer, not the one before the host was asked (a guest powering off meanwhile shows
     * {@code stopped} now, not at the next request).
     */
    public Map<String, String> info(Server server) {
        if (!server.status().onHost()) {
            return ServerView.info(server, Optional.empty(), null);
        }
        Optional<GuestInfo> guest = Optional.empty();
        try {
            guest = Optional.of(agents.call(server.host(),
                    new DescribeGuest("describe-" + UUID.randomUUID(), server.id().toString()), DESCRIBE_TIMEOUT));
        } catch (ElasticException e) {
            log.debug("server {}: no counters from {}: {}", server.id(), server.host(), e.getMessage());
        }
        Server now = servers.findById(server.id()).orElse(server);
        if (!now.status().onHost() || !server.host().equals(now.host())) {
            return ServerView.info(now, Optional.empty(), null);
        }
        return ServerView.info(now, guest, network.shown(now, ServerConfig.of(now)));
    }
}
