package io.elasticcloud.api.server;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuest;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuests;
import io.elasticcloud.protocol.agent.GuestInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
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

    /** What {@code /servers/list} shows of the user's servers, oldest first, in one query. */
    public List<ServerListed> listed(UUID user) {
        return servers.listedOf(user);
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
        Optional<GuestInfo> guest = describe(server);
        Server now = servers.findById(server.id()).orElse(server);
        return shown(server, guest, now, s -> network.shown(s, ServerConfig.of(s)));
    }

    /**
     * The info of each of the user's servers, oldest first, as {@link #info} shows it, in one query
     * per kind of row however many servers there are: the rows are read again all at once, once
     * every host has answered, and the temporary addresses in one go. The hosts are asked at once.
     */
    public List<Map<String, String>> infos(UUID user) {
        List<Server> listed = list(user);
        Map<UUID, Optional<GuestInfo>> guests = describeEach(listed.stream().filter(s -> s.status().onHost())
                .collect(Collectors.groupingBy(Server::host, LinkedHashMap::new, Collectors.toList())));
        if (guests.isEmpty()) {
            return listed.stream().map(s -> ServerView.info(s, Optional.empty(), null)).toList();
        }
        Map<UUID, Server> now = list(user).stream().collect(Collectors.toMap(Server::id, Function.identity()));
        Map<UUID, String> temporaries = network.temporariesOf(user);
        Function<Server, ServerNetwork.Addresses> addresses = s -> network.shown(s, ServerConfig.of(s),
                id -> Optional.ofNullable(temporaries.get(id)));
        return listed.stream().map(s -> s.status().onHost()
                ? shown(s, guests.get(s.id()), now.getOrDefault(s.id(), s), addresses)
                : ServerView.info(s, Optional.empty(), null)).toList();
    }

    /** What its host reports of a server on it; empty if the host does not answer. */
    private Optional<GuestInfo> describe(Server server) {
        try {
            return Optional.of(agents.call(server.host(),
                    new DescribeGuest("describe-" + UUID.randomUUID(), server.id().toString()), DESCRIBE_TIMEOUT));
        } catch (ElasticException e) {
            log.debug("server {}: no counters from {}: {}", server.id(), server.host(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * What each host reports of its servers in {@code byHost}, in one command per host naming them
     * (not every guest of the host, which may be another customer's), all hosts asked at once
     * within one {@link #DESCRIBE_TIMEOUT}: silent hosts cost that once, not once each. A server
     * its host does not report, and every one of a host that does not answer in time, is empty.
     */
    private Map<UUID, Optional<GuestInfo>> describeEach(Map<String, List<Server>> byHost) {
        Map<UUID, Optional<GuestInfo>> described = new HashMap<>();
        Map<String, DescribeGuests> commands = new LinkedHashMap<>();
        byHost.forEach((host, servers) -> {
            servers.forEach(s -> described.put(s.id(), Optional.empty()));
            commands.put(host, new DescribeGuests("describe-" + UUID.randomUUID(),
                    servers.stream().map(s -> s.id().toString()).toList()));
        });
        agents.callEach(commands, DESCRIBE_TIMEOUT).values().forEach(reply -> reply.guests()
                .forEach(guest -> described.computeIfPresent(UUID.fromString(guest.server()),
                        (id, none) -> Optional.of(guest))));
        return described;
    }

    /** The info of {@code asked}, on a host when its host was asked, from its row {@code now} read since. */
    private static Map<String, String> shown(Server asked, Optional<GuestInfo> guest, Server now,
                                             Function<Server, ServerNetwork.Addresses> addresses) {
        if (!now.status().onHost() || !asked.host().equals(now.host())) {
            return ServerView.info(now, Optional.empty(), null);
        }
        return ServerView.info(now, guest, addresses.apply(now));
    }
}
