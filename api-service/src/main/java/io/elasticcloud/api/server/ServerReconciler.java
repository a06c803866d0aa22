package io.elasticcloud.api.server;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.api.host.HostNodes;
import io.elasticcloud.protocol.Events.AgentHeartbeat;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.GuestStateChanged;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.agent.AgentCommands.DestroyGuest;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Brings the database (desired state) in line with what the hosts really run, from their reports:
 * <ul>
 * <li>a guest that powered off, was stopped or was killed behind our back ({@link
 * GuestStateChanged}, or missing from its host's heartbeat) ends: {@code stopped} if persistent,
 * destroyed otherwise; a crashed one is {@code dead}; paused and resumed follow the guest;</li>
 * <li>a host silent for {@link HostNodes#STALE_AFTER}: its servers are {@code dead} (and
 * {@code active} again if it comes back still running them);</li>
 * <li>a guest a host runs that no server on that host owns (an orphan: left by a crash, or by a
 * stop the host never heard) is destroyed with {@code DestroyGuest}.</li>
 * </ul>
 * Reports older than a server's start, or read while our own command on it is in flight ({@link
 * ServerActivity}), are not believed over it.
 */
@Component
public class ServerReconciler {
    private static final Logger log = LoggerFactory.getLogger(ServerReconciler.class);

    private final ServerRepository servers;
    private final ServerRows rows;
    private final HostNodes hosts;
    private final NodeClient agents;
    private final ServerActivity activity;
    private final Clock clock;
    private final AutoCloseable subscription;
    /**
     * The latest heartbeat of each host not yet reconciled. The events' one thread only records
     * that a host was heard and leaves its heartbeat here: the reconcile needs a database
     * connection, and when the requests hold the pool it waited its turn there with every event
     * behind it, so that hosts heard every 5 s looked silent for 30 s (and their servers dead). A
     * host's heartbeat taken later replaces one still waiting: it says all the earlier one did (one
     * taken earlier, come late, is dropped).
     */
    private final Map<String, AgentHeartbeat> unreconciled = new ConcurrentHashMap<>();
    private final ExecutorService reconciling = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "heartbeat-reconcile");
        t.setDaemon(true);
        return t;
    });

    public ServerReconciler(ServerRepository servers, ServerRows rows, HostNodes hosts, NodeClient agents,
                            ServerActivity activity, Transport transport, Optional<Clock> clock) {
        this.servers = servers;
        this.rows = rows;
        this.hosts = hosts;
        this.agents = agents;
        this.activity = activity;
        this.clock = clock.orElse(Clock.systemUTC());
        this.subscription = transport.subscribe(Set.of(AgentHeartbeat.class, GuestStateChanged.class), this::onEvent);
    }

    private void onEvent(Event event) {
        try {
            if (event instanceof AgentHeartbeat heartbeat) {
                hosts.saw(heartbeat.host());
                reconcileSoon(heartbeat);
            } else if (event instanceof GuestStateChanged changed) {
                onGuestState(changed);
            }
        } catch (RuntimeException e) {
            log.warn("{} could not be reconciled: {}", event.getClass().getSimpleName(), e.getMessage());
        }
    }

    /**
     * A guest's state change. Every API instance hears every one, and most change nothing (a start's
     * own RUNNING, the STOPPED of a server destroyed meanwhile): those are told from a plain read,
     * and only one that would change the server takes its lock and decides again under it.
     */
    void onGuestState(GuestStateChanged changed) {
        UUID id = parse(changed.server());
        if (id == null || servers.findById(id).filter(server -> changes(server, changed)).isEmpty()) {
            return;
        }
        rows.onServer(id, () -> {
                Server server = servers.findById(id).orElse(null);
                if (server == null || !changes(server, changed)) {
                    return;
                }
                switch (changed.state()) {
                    case RUNNING -> {
                        server.onHost(ServerStatus.ACTIVE);
                        servers.save(server);
                    }
                    case PAUSED -> {
                        server.onHost(ServerStatus.PAUSED);
                        servers.save(server);
                    }
                    case STOPPED -> {
                        log.info("server {} ended on {} ({})", id, changed.node(), changed.reason());
                        rows.ended(server);
                    }
                    case CRASHED -> {
                        log.info("server {} crashed on {}", id, changed.node());
                        server.off(ServerStatus.DEAD);
                        servers.save(server);
                        // the guest is gone: its temporary address may go to another
                        rows.releaseAddress(id);
                    }
                    default -> {
                        // changes() said which states tell a server something
                    }
                }
        });
    }

    /** Whether {@code changed} tells {@code server} something new: a report of its host, not older than its start. */
    private static boolean changes(Server server, GuestStateChanged changed) {
        if (!changed.node().equals(server.host())
                || server.startedAt() != null && changed.at().isBefore(server.startedAt())) {
            return false;
        }
        return switch (changed.state()) {
            case RUNNING -> server.status() == ServerStatus.PAUSED;
            case PAUSED -> server.status() == ServerStatus.ACTIVE;
            case STOPPED, CRASHED -> server.status().onHost();
            case SHUTTING_DOWN -> false; // still active until it powers off
        };
    }

    /** Reconciles {@code heartbeat} on the reconciling thread, unless a newer one of its host comes first. */
    private void reconcileSoon(AgentHeartbeat heartbeat) {
        String node = heartbeat.host().node();
        boolean[] waiting = new boolean[1];
        unreconciled.compute(node, (n, older) -> {
            waiting[0] = older != null;
            return older != null && older.at().isAfter(heartbeat.at()) ? older : heartbeat;
        });
        if (waiting[0]) {
            return; // the task queued for the one waiting will take the later of the two
        }
        try {
            reconciling.execute(() -> {
                AgentHeartbeat latest = unreconciled.remove(node);
                try {
                    reconcile(node, latest.servers(), latest.at());
                } catch (RuntimeException e) {
                    log.warn("the heartbeat of {} could not be reconciled: {}", node, e.getMessage());
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            unreconciled.remove(node);
        }
    }

    /** One heartbeat of {@code node}, listing the server UUIDs it runs, taken at {@code at}. */
    void reconcile(String node, List<String> reported, Instant at) {
        Set<UUID> running = new HashSet<>();
        reported.forEach(s -> Optional.ofNullable(parse(s)).ifPresent(running::add));
        List<HostedServer> placed = servers.placedOn(node);
        for (HostedServer row : placed) {
            UUID id = row.id();
            boolean back = row.status() == ServerStatus.DEAD && running.contains(id);
            boolean gone = row.status().onHost() && !running.contains(id) && activity.quiet(id, at)
                    && row.startedAt() != null && row.startedAt().isBefore(at);
            if (!back && !gone) {
                continue;
            }
            rows.onServer(id, () -> {
                    servers.findById(id).filter(s -> node.equals(s.host())).ifPresent(server -> {
                        if (server.status() == ServerStatus.DEAD && running.contains(id) && server.startedAt() != null) {
                            log.info("server {} runs on {} again", id, node);
                            server.onHost(ServerStatus.ACTIVE);
                            servers.save(server);
                        } else if (gone && server.status().onHost()) {
                            log.info("server {} no longer runs on {}", id, node);
                            rows.ended(server);
                        }
                    });
            });
        }
        // The rows read above are this host's owners: a heartbeat costs one statement (a projection, no
        // entity), however many guests it lists. Only a guest none of them owns is looked up again (a
        // start may have placed it since); a row that changes is read again under its lock.
        Set<UUID> owners = new HashSet<>();
        placed.forEach(row -> owners.add(row.id()));
        for (UUID id : running) {
            if (owners.contains(id)) {
                continue;
            }
            boolean owned = servers.findById(id)
                    .filter(s -> node.equals(s.host()) && (s.status().onHost() || s.status() == ServerStatus.DEAD))
                    .isPresent();
            if (!owned && activity.quiet(id, at)) {
                log.info("destroying guest {} on {}: no server there owns it", id, node);
                agents.send(node, new DestroyGuest("orphan-" + id + "-" + at.toEpochMilli(), id.toString()));
            }
        }
    }

    /** Every {@code elastic.servers.sweep-interval} ({@link ServerSweeps}). */
    public void markSilentHostsDead() {
        markSilentHostsDead(clock.instant());
    }

    /**
     * Answers the servers it found on silent hosts and marked {@code dead}. Reads the hosts in use
     * (a name each), and the rows only of servers on a silent one: none while every host reports.
     */
    List<UUID> markSilentHostsDead(Instant now) {
        List<UUID> dead = new java.util.ArrayList<>();
        List<Server> onSilentHosts = servers.hostsInUse().stream().filter(host -> hosts.silent(host, now))
                .flatMap(host -> servers.findByHostAndStatusIn(host, ServerStatus.ON_HOST).stream()).toList();
        for (Server row : onSilentHosts) {
            rows.onServer(row.id(), () -> {
                    servers.findById(row.id()).filter(s -> s.status().onHost()).ifPresent(server -> {
                        // Its temporary address is kept: the guest may still run on the silent host
                        // (and be active again when it returns); stop, destroy or start give it back.
                        log.warn("server {} is dead: its host {} has been silent", server.id(), server.host());
                        server.off(ServerStatus.DEAD);
                        servers.save(server);
                        dead.add(server.id());
                    });
            });
        }
        return dead;
    }

    private static UUID parse(String server) {
        try {
            return server == null ? null : UUID.fromString(server);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @PreDestroy
    void close() throws Exception {
        subscription.close();
        reconciling.shutdownNow();
    }
}
