package io.elasticcloud.agent;

import io.elasticcloud.agent.hypervisor.GuestEvent;
import io.elasticcloud.agent.hypervisor.HostCapacity;
import io.elasticcloud.agent.hypervisor.Hypervisor;
import io.elasticcloud.agent.network.HostNetwork;
import io.elasticcloud.agent.network.TunnelPeers;
import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.RememberedReplies;
import io.elasticcloud.protocol.Events.AgentHeartbeat;
import io.elasticcloud.protocol.Events.GuestStateChanged;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuest;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeHost;
import io.elasticcloud.protocol.agent.AgentCommands.DestroyGuest;
import io.elasticcloud.protocol.agent.AgentCommands.GuestList;
import io.elasticcloud.protocol.agent.AgentCommands.ListGuests;
import io.elasticcloud.protocol.agent.AgentCommands.ResetGuest;
import io.elasticcloud.protocol.agent.AgentCommands.SetGuestLive;
import io.elasticcloud.protocol.agent.AgentCommands.ShutdownGuest;
import io.elasticcloud.protocol.agent.AgentCommands.StartGuest;
import io.elasticcloud.protocol.agent.AgentCommands.StopGuest;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.agent.HostInfo;
import io.elasticcloud.protocol.agent.StateReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node agent: serves every {@link io.elasticcloud.protocol.agent.AgentCommands agent command}
 * for its host under its bus name, on a {@link Hypervisor}.
 *
 * <p>Idempotency: replies to changing commands are remembered by command id, so a redelivered
 * command answers as the first time without acting again (a reset redelivered is not a second
 * reset); besides, every command is safe to repeat by its target state. Commands on one server
 * run one at a time (a lock per server, striped), so a stop cannot overtake the start it follows.
 *
 * <p>Reporting: at start the agent adopts the guests still running (a {@link GuestStateChanged}
 * with reason {@code ADOPTED} each) and sends its first heartbeat before it returns; then a
 * heartbeat every interval with the host's capacity and the server UUIDs it runs, and a {@link
 * GuestStateChanged} for every state change the hypervisor reports.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
    private static final int REMEMBERED_REPLIES = 4096;
    private static final int SERVER_LOCKS = 64;

    private final String node;
    private final Hypervisor hypervisor;
    private final Transport transport;
    private final Duration heartbeatInterval;
    private final String defaultNetwork;
    private final HostNetwork hostNetwork;
    private final TunnelPeers peers;
    private final String host;
    private final RememberedReplies replies = new RememberedReplies(REMEMBERED_REPLIES);
    private final Object[] serverLocks = new Object[SERVER_LOCKS];
    private ScheduledExecutorService heartbeats;
    private AutoCloseable registration;
    private AutoCloseable subscription;
    private volatile boolean open = true;

    /**
     * @param defaultNetwork the hypervisor network of interfaces whose spec names none
     */
    public NodeAgent(String node, Hypervisor hypervisor, Transport transport, Duration heartbeatInterval,
                     String defaultNetwork) {
        this(node, hypervisor, transport, heartbeatInterval, defaultNetwork, null);
    }

    /**
     * @param hostNetwork this host's VLAN bridges: its tunnel address goes into the heartbeat, and
     *                    the other agents' heartbeats become its VXLAN peers; null for none
     */
    public NodeAgent(String node, Hypervisor hypervisor, Transport transport, Duration heartbeatInterval,
                     String defaultNetwork, HostNetwork hostNetwork) {
        this(node, hypervisor, transport, heartbeatInterval, defaultNetwork, hostNetwork, null);
    }

    /**
     * @param host the machine this agent runs on, reported in its heartbeat: storage nodes on the
     *             same host attach volumes by path, others export them over NBD (null: by path)
     */
    public NodeAgent(String node, Hypervisor hypervisor, Transport transport, Duration heartbeatInterval,
                     String defaultNetwork, HostNetwork hostNetwork, String host) {
        this.host = host;
        this.node = node;
        this.hostNetwork = hostNetwork;
        this.peers = hostNetwork == null || hostNetwork.tunnelAddress() == null ? null
                : new TunnelPeers(node, hostNetwork, peerExpiry(heartbeatInterval));
        this.defaultNetwork = defaultNetwork;
        this.hypervisor = hypervisor;
        this.transport = transport;
        this.heartbeatInterval = heartbeatInterval;
        for (int i = 0; i < SERVER_LOCKS; i++) {
            serverLocks[i] = new Object();
        }
    }

    public String node() {
        return node;
    }

    /** Adopts running guests, serves the node's commands and starts the heartbeat (one at once). */
    public synchronized void start() {
        if (registration != null) {
            return;
        }
        hypervisor.onEvent(this::onGuestEvent);
        for (GuestInfo guest : hypervisor.recover()) {
            log.info("node {}: adopted running server {}", node, guest.server());
            publish(new GuestStateChanged(node, guest.server(), guest.state(), StateReason.ADOPTED, Instant.now()));
        }
        if (peers != null) {
            subscription = transport.subscribe(peers::onEvent);
        }
        registration = transport.serve(node, this::handle);
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + node);
            t.setDaemon(true);
            return t;
        });
        heartbeat();
        long every = Math.max(1, heartbeatInterval.toMillis());
        heartbeats.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Carries out one command; the transport sends back what it returns or throws. */
    public Object handle(Command<?> command) {
        if (command instanceof StartGuest c) {
            if (c.spec() == null) {
                throw ElasticException.usage("a start needs a guest spec");
            }
            GuestSpec spec = withNetworks(c.spec());
            return onServer(spec.server(), c.commandId(), () -> hypervisor.start(spec));
        } else if (command instanceof StopGuest c) {
            return onServer(c.server(), c.commandId(), () -> {
                hypervisor.stop(c.server());
                return Done.INSTANCE;
            });
        } else if (command instanceof ShutdownGuest c) {
            return onServer(c.server(), c.commandId(), () -> {
                hypervisor.shutdown(c.server());
                return Done.INSTANCE;
            });
        } else if (command instanceof ResetGuest c) {
            return onServer(c.server(), c.commandId(), () -> {
                hypervisor.reset(c.server());
                return Done.INSTANCE;
            });
        } else if (command instanceof DestroyGuest c) {
            return onServer(c.server(), c.commandId(), () -> {
                hypervisor.destroy(c.server());
                return Done.INSTANCE;
            });
        } else if (command instanceof SetGuestLive c) {
            return onServer(c.server(), c.commandId(), () -> setLive(c));
        } else if (command instanceof DescribeGuest c) {
            return hypervisor.inspect(c.server()).orElseThrow(
                    () -> ElasticException.missing("server %s is not running on its host", c.server()));
        } else if (command instanceof ListGuests) {
            return new GuestList(hypervisor.list());
        } else if (command instanceof DescribeHost) {
            return hostInfo(hypervisor.list());
        }
        throw ElasticException.usage("node agent %s does not accept %s", node, command.getClass().getSimpleName());
    }

    private GuestSpec withNetworks(GuestSpec spec) {
        if (spec.nics() == null || spec.nics().stream().allMatch(n -> n == null || n.network() != null || n.vlan() != null)) {
            return spec;
        }
        List<NicSpec> nics = spec.nics().stream()
                .map(n -> n == null || n.network() != null || n.vlan() != null ? n
                        : new NicSpec(n.index(), n.model(), n.mac(), defaultNetwork, n.dhcpIp(), null))
                .toList();
        return new GuestSpec(spec.server(), spec.name(), spec.cpu(), spec.memoryMb(), spec.disks(), nics, spec.boot(),
                spec.vnc());
    }

    private GuestInfo setLive(SetGuestLive c) {
        GuestInfo info = hypervisor.inspect(c.server()).orElseThrow(
                () -> ElasticException.missing("server %s is not running on its host", c.server()));
        if (c.name() != null) {
            info = hypervisor.setName(c.server(), c.name());
        }
        if (c.cpuMhz() != null) {
            info = hypervisor.setCpuQuota(c.server(), c.cpuMhz());
        }
        return info;
    }

    private HostInfo hostInfo(List<GuestInfo> guests) {
        HostCapacity host = hypervisor.host();
        long mhz = guests.stream().mapToLong(GuestInfo::cpuMhz).sum();
        long memory = guests.stream().mapToLong(GuestInfo::memoryMb).sum();
        return new HostInfo(node, host.domainType(), host.cores(), host.mhz(), host.memoryMb(), host.freeMemoryMb(),
                guests.size(), mhz, memory, hostNetwork == null ? null : hostNetwork.tunnelAddress(), this.host);
    }

    private Object onServer(String server, String commandId, Supplier<Object> action) {
        if (server == null) {
            throw ElasticException.usage("the command names no server");
        }
        synchronized (serverLocks[Math.floorMod(server.hashCode(), SERVER_LOCKS)]) {
            return replies.reply(commandId, action::get);
        }
    }

    private void onGuestEvent(GuestEvent event) {
        if (!open) {
            return;
        }
        log.info("node {}: server {} is {} ({})", node, event.server(), event.state(), event.reason());
        publish(new GuestStateChanged(node, event.server(), event.state(), event.reason(), Instant.now()));
    }

    /** A peer stays for six of this agent's heartbeat intervals without a heartbeat, at least 30 s. */
    static Duration peerExpiry(Duration heartbeatInterval) {
        Duration six = heartbeatInterval.multipliedBy(6);
        return six.compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : six;
    }

    private void heartbeat() {
        if (peers != null) {
            peers.expire(Instant.now());
        }
        try {
            List<GuestInfo> guests = hypervisor.list();
            List<String> servers = guests.stream()
                    .filter(g -> g.state() != GuestState.STOPPED).map(GuestInfo::server).toList();
            publish(new AgentHeartbeat(hostInfo(guests), servers, Instant.now()));
        } catch (RuntimeException e) {
            log.warn("node {}: heartbeat failed: {}", node, e.getMessage());
        }
    }

    private void publish(io.elasticcloud.protocol.Events.Event event) {
        try {
            transport.publish(event);
        } catch (RuntimeException e) {
            log.warn("node {}: could not publish {}: {}", node, event.getClass().getSimpleName(), e.getMessage());
        }
    }

    /** Stops serving and reporting; the guests keep running (a restarted agent adopts them). */
    @Override
    public synchronized void close() {
        open = false;
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            heartbeats = null;
        }
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.warn("node {}: closing the event subscription failed: {}", node, e.getMessage());
            }
            subscription = null;
        }
        if (registration != null) {
            try {
                registration.close();
            } catch (Exception e) {
                log.warn("node {}: closing the bus registration failed: {}", node, e.getMessage());
            }
            registration = null;
        }
    }
}
