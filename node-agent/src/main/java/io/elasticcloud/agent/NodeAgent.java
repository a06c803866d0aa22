package io.elasticcloud.agent;

import io.elasticcloud.agent.hypervisor.GuestEvent;
import io.elasticcloud.agent.hypervisor.HostCapacity;
import io.elasticcloud.agent.hypervisor.Hypervisor;
import io.elasticcloud.agent.network.HostNetwork;
import io.elasticcloud.agent.network.TunnelPeers;
import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.Events.AgentHeartbeat;
import io.elasticcloud.protocol.Events.GuestStateChanged;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.agent.AgentCommands.AgentCommand;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuest;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuests;
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
import io.elasticcloud.protocol.node.CommandTable;
import io.elasticcloud.protocol.node.NodeRuntime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
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
 * Heartbeats, remembered replies, locks and shutdown are the {@link NodeRuntime}'s; what is the
 * agent's own is its {@link CommandTable} (a handler for every agent command, or it does not
 * build) and its host.
 *
 * <p>Reporting: at start the agent adopts the guests still running (a {@link GuestStateChanged}
 * with reason {@code ADOPTED} each) and sends its first heartbeat before it returns; then a
 * heartbeat every interval with the host's capacity and the server UUIDs it runs, and a {@link
 * GuestStateChanged} for every state change the hypervisor reports.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    private final String node;
    private final Hypervisor hypervisor;
    private final String defaultNetwork;
    private final HostNetwork hostNetwork;
    private final TunnelPeers peers;
    private final String host;
    private final NodeRuntime runtime;
    private final CommandTable<RuntimeException> commands;

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
        this.runtime = new NodeRuntime("node", node, transport, heartbeatInterval, this::handle, this::heartbeat);
        this.commands = dispatchTable();
    }

    /** The dispatch table: every agent command, each with its handler. */
    private CommandTable<RuntimeException> dispatchTable() {
        return CommandTable.<RuntimeException>of(AgentCommand.class, "node agent " + node)
                .on(StartGuest.class, this::startGuest)
                .on(StopGuest.class, c -> onServer(c.server(), c.commandId(), () -> {
                    hypervisor.stop(c.server());
                    return Done.INSTANCE;
                }))
                .on(ShutdownGuest.class, c -> onServer(c.server(), c.commandId(), () -> {
                    hypervisor.shutdown(c.server());
                    return Done.INSTANCE;
                }))
                .on(ResetGuest.class, c -> onServer(c.server(), c.commandId(), () -> {
                    hypervisor.reset(c.server());
                    return Done.INSTANCE;
                }))
                .on(DestroyGuest.class, c -> onServer(c.server(), c.commandId(), () -> {
                    hypervisor.destroy(c.server());
                    return Done.INSTANCE;
                }))
                .on(SetGuestLive.class, c -> onServer(c.server(), c.commandId(), () -> setLive(c)))
                .on(DescribeGuest.class, c -> hypervisor.inspect(c.server()).orElseThrow(
                        () -> ElasticException.missing("server %s is not running on its host", c.server())))
                .on(DescribeGuests.class, c -> new GuestList(c.servers().stream()
                        .flatMap(server -> hypervisor.inspect(server).stream()).toList()))
                .on(ListGuests.class, c -> new GuestList(hypervisor.list()))
                .on(DescribeHost.class, c -> hostInfo(hypervisor.list()))
                .build();
    }

    public String node() {
        return node;
    }

    /** The commands this agent has a handler for: every {@link AgentCommand}, or it would not build. */
    Set<Class<?>> handledCommands() {
        return commands.commands();
    }

    /** Adopts running guests, serves the node's commands and starts the heartbeat (one at once). */
    public void start() {
        runtime.start(() -> {
            hypervisor.onEvent(this::onGuestEvent);
            for (GuestInfo guest : hypervisor.recover()) {
                log.info("node {}: adopted running server {}", node, guest.server());
                runtime.publish(new GuestStateChanged(node, guest.server(), guest.state(), StateReason.ADOPTED,
                        Instant.now()));
            }
            if (peers != null) {
                runtime.subscribe(Set.of(AgentHeartbeat.class), peers::onEvent);
            }
        });
    }

    /** Carries out one command; the transport sends back what it returns or throws. */
    public Object handle(Command<?> command) {
        return commands.handle(command);
    }

    private Object startGuest(StartGuest c) {
        if (c.spec() == null) {
            throw ElasticException.usage("a start needs a guest spec");
        }
        GuestSpec spec = withNetworks(c.spec());
        return onServer(spec.server(), c.commandId(), () -> hypervisor.start(spec));
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
        synchronized (runtime.lock(server)) {
            return runtime.remembered(commandId, action::get);
        }
    }

    private void onGuestEvent(GuestEvent event) {
        if (runtime.closed()) {
            return;
        }
        log.info("node {}: server {} is {} ({})", node, event.server(), event.state(), event.reason());
        runtime.publish(new GuestStateChanged(node, event.server(), event.state(), event.reason(), Instant.now()));
    }

    /** A peer stays for six of this agent's heartbeat intervals without a heartbeat, at least 30 s. */
    static Duration peerExpiry(Duration heartbeatInterval) {
        Duration six = heartbeatInterval.multipliedBy(6);
        return six.compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : six;
    }

    private AgentHeartbeat heartbeat() {
        if (peers != null) {
            peers.expire(Instant.now());
        }
        List<GuestInfo> guests = hypervisor.list();
        List<String> servers = guests.stream()
                .filter(g -> g.state() != GuestState.STOPPED).map(GuestInfo::server).toList();
        return new AgentHeartbeat(hostInfo(guests), servers, Instant.now());
    }

    /** Stops serving and reporting; the guests keep running (a restarted agent adopts them). */
    @Override
    public void close() {
        runtime.close();
    }
}
