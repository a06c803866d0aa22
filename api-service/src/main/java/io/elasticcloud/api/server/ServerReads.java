package io.elasticcloud.api.server;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.api.common.Pages;
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
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Limit;
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

    /** What {@code /servers/list} shows of the user's servers, oldest first: the page after {@code last} (null: the first). */
    public List<ServerListed> listedAfter(UUID user, ServerListed last) {
        return last == null ? servers.listedOf(user, Limit.of(Pages.SIZE))
                : servers.listedOfAfter(user, last.createdAt(), last.id(), Limit.of(Pages.SIZE));
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
     * The info of each of the user's servers, oldest first, as {@link #info} shows it, handed to
     * {@code sink} a page at a time ({@link Pages}) in one query per kind of row per page. The hosts
     * are asked first, all at once ({@link #describeEach}); the rows are read after their answers,
     * so each shows its status then, with its host's counters if it is still on the host asked.
     * What the hosts answered is held for the whole listing (a compact record per running server),
     * the rows and their infos a page at a time.
     */
    public void each(UUID user, Consumer<Map<String, String>> sink) {
        Map<String, List<UUID>> byHost = servers.onHostOf(user).stream().collect(Collectors.groupingBy(
                ServerOnHost::host, LinkedHashMap::new, Collectors.mapping(ServerOnHost::id, Collectors.toList())));
        Map<UUID, String> askedHost = new HashMap<>();
        byHost.forEach((host, ids) -> ids.forEach(id -> askedHost.put(id, host)));
        Map<UUID, GuestInfo> guests = describeEach(byHost);
        Map<UUID, String> temporaries = askedHost.isEmpty() ? Map.of() : network.temporariesOf(user);
        Function<Server, ServerNetwork.Addresses> addresses = s -> network.shown(s, ServerConfig.of(s),
                id -> Optional.ofNullable(temporaries.get(id)));
        ServerListed[] pageBefore = {null}; // the last server of the page before, whose successors the next page reads
        Pages.forEach(Pages.SIZE, (ServerListed last) -> listedAfter(user, last), keys -> {
            ServerListed after = pageBefore[0];
            ServerListed end = keys.get(keys.size() - 1);
            List<Server> page = after == null ? servers.pageOfOwnerUpTo(user, end.createdAt(), end.id())
                    : servers.pageOfOwnerBetween(user, after.createdAt(), after.id(), end.createdAt(), end.id());
            pageBefore[0] = end;
            page.forEach(now -> sink.accept(now.status().onHost() && now.host().equals(askedHost.get(now.id()))
                    ? ServerView.info(now, Optional.ofNullable(guests.get(now.id())), addresses.apply(now))
                    : ServerView.info(now, Optional.empty(), null)));
        });
    }

    /**
     * A server just created, as {@link #info(Server)} shows it: its row read after the start, with
     * what its host answered to the start (not asked again: the create's answer needs no second
     * round trip to the host).
     */
    public Map<String, String> info(ServerCreate.Created created) {
        Server server = created.server();
        if (!server.status().onHost() || created.started() == null) {
            return info(server);
        }
        return shown(server, Optional.of(created.started()), server, s -> network.shown(s, ServerConfig.of(s)));
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
     * its host does not report, and every one of a host that does not answer in time, is left out.
     */
    private Map<UUID, GuestInfo> describeEach(Map<String, List<UUID>> byHost) {
        Map<String, DescribeGuests> commands = new LinkedHashMap<>();
        byHost.forEach((host, ids) -> commands.put(host, new DescribeGuests("describe-" + UUID.randomUUID(),
                ids.stream().map(UUID::toString).toList())));
        Map<UUID, GuestInfo> described = new HashMap<>();
        // a host answers only the servers named to it (DescribeGuests)
        agents.callEach(commands, DESCRIBE_TIMEOUT).values().forEach(reply -> reply.guests()
                .forEach(guest -> described.put(UUID.fromString(guest.server()), guest)));
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
