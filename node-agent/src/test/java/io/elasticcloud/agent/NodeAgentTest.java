package io.elasticcloud.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.elasticcloud.agent.hypervisor.FakeHypervisor;
import io.elasticcloud.agent.network.FakeHostNetwork;
import io.elasticcloud.agent.network.TunnelPeers;
import io.elasticcloud.agent.testing.Specs;
import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.AgentHeartbeat;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.GuestStateChanged;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuest;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuests;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeHost;
import io.elasticcloud.protocol.agent.AgentCommands.DestroyGuest;
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
import io.elasticcloud.protocol.agent.StateReason;
import io.elasticcloud.protocol.bus.InProcessTransport;
import io.elasticcloud.protocol.bus.MessageCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's contract over the in-process bus (the codec included), on the fake hypervisor. */
class NodeAgentTest {
    private static final String NODE = "host-a";
    private final FakeHypervisor fake = new FakeHypervisor();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private Transport bus;
    private NodeAgent agent;

    @BeforeEach
    void start() {
        bus = new InProcessTransport(new MessageCodec(), 4);
        bus.subscribe(Set.of(AgentHeartbeat.class, GuestStateChanged.class), events::add);
        agent = new NodeAgent(NODE, fake, bus, Duration.ofMillis(100), "elastic-public");
        agent.start();
    }

    @AfterEach
    void stop() {
        agent.close();
        bus.close();
    }

    private <R> R call(Command<R> command) {
        try {
            return bus.request(NODE, command, Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (ElasticException) e.getCause();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertType(Runnable call, ErrorType type, String words) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ElasticException.class, e -> {
            assertThat(e.type()).isEqualTo(type);
            assertThat(e.getMessage()).contains(words);
        });
    }

    private GuestSpec spec(String server) {
        return Specs.simple(server, "/vol/" + server + ".raw", "elastic-public");
    }

    @Test
    void startIsIdempotentByCommandIdAndByTargetState() {
        String server = Specs.server();
        GuestInfo first = call(new StartGuest("c1", spec(server)));
        assertThat(first.state()).isEqualTo(GuestState.RUNNING);
        assertThat(call(new StartGuest("c1", spec(server)))).isEqualTo(first);
        assertThat(call(new StartGuest("c2", spec(server))).server()).isEqualTo(server);
        assertThat(fake.starts()).isEqualTo(1);

        // a redelivered start after a stop answers as the first time and does not start again
        call(new StopGuest("c3", server));
        assertThat(call(new StartGuest("c1", spec(server)))).isEqualTo(first);
        assertThat(call(new ListGuests("l")).guests()).isEmpty();
    }

    private static GuestSpec readOnly(GuestSpec s) {
        GuestSpec.DiskSpec d = s.disks().get(0);
        return new GuestSpec(s.server(), s.name(), s.cpu(), s.memoryMb(),
                java.util.List.of(new GuestSpec.DiskSpec(io.elasticcloud.protocol.agent.DiskBus.BLOCK, 0, 0, d.media(), d.volume(), true)),
                s.nics(), s.boot(), s.vnc());
    }

    @Test
    void startWithAnotherSpecOrAHeldDriveIsBusy() {
        String server = Specs.server();
        GuestSpec spec = spec(server);
        call(new StartGuest("c1", spec));
        GuestSpec bigger = new GuestSpec(server, spec.name(), spec.cpu(), 128, spec.disks(), spec.nics(), spec.boot(), null);
        assertType(() -> call(new StartGuest("c2", bigger)), ErrorType.BUSY, "another configuration");

        String other = Specs.server();
        GuestSpec sameDrive = Specs.simple(other, spec.disks().get(0).volume().path(), "elastic-public");
        assertType(() -> call(new StartGuest("c3", sameDrive)), ErrorType.BUSY, "in use by another server");
        // a name or quota change is not another configuration
        GuestSpec renamed = new GuestSpec(server, "renamed", new GuestSpec.CpuSpec(1, 1, 1, 500), spec.memoryMb(),
                spec.disks(), spec.nics(), spec.boot(), null);
        assertThat(call(new StartGuest("c4", renamed)).name()).isEqualTo(spec.name());
        // a reader (read-only, as the API gives library and readers' drives) opens beside the writer,
        // and a second writer still cannot
        GuestSpec reader = readOnly(Specs.simple(other, spec.disks().get(0).volume().path(), "elastic-public"));
        call(new StartGuest("c5", reader));
        String third = Specs.server();
        assertType(() -> call(new StartGuest("c6", Specs.simple(third, spec.disks().get(0).volume().path(),
                "elastic-public"))), ErrorType.BUSY, "in use by another server");
        call(new StopGuest("c7", server));
        // with the first writer gone, another starts beside the reader
        call(new StartGuest("c8", Specs.simple(third, spec.disks().get(0).volume().path(), "elastic-public")));
    }

    @Test
    void errorsAreTypedMissingBusyUsageFailed() {
        String server = Specs.server();
        assertType(() -> call(new ResetGuest("r1", server)), ErrorType.MISSING, server);
        assertType(() -> call(new DescribeGuest("d1", server)), ErrorType.MISSING, server);
        assertType(() -> call(new SetGuestLive("s1", server, 2000, null)), ErrorType.MISSING, server);
        assertType(() -> call(new StopGuest("s2", "not-a-uuid")), ErrorType.USAGE, "not-a-uuid");
        assertType(() -> call(new StartGuest("s3", null)), ErrorType.USAGE, "spec");
        fake.failNextStart("qemu: could not open disk image");
        // the hypervisor's words stay in the agent's log, under the incident the error names
        assertType(() -> call(new StartGuest("s4", spec(server))), ErrorType.FAILED, "(incident ");
        // a failed command is not remembered: the same id may be retried
        assertThat(call(new StartGuest("s4", spec(server))).state()).isEqualTo(GuestState.RUNNING);
    }

    @Test
    void stopShutdownAndDestroyOfAStoppedServerAreDone() {
        String server = Specs.server();
        assertThat(call(new StopGuest("a", server))).isEqualTo(Done.INSTANCE);
        assertThat(call(new ShutdownGuest("b", server))).isEqualTo(Done.INSTANCE);
        assertThat(call(new DestroyGuest("c", server))).isEqualTo(Done.INSTANCE);
    }

    @Test
    void aRedeliveredResetResetsOnce() {
        String server = Specs.server();
        call(new StartGuest("c1", spec(server)));
        call(new ResetGuest("r1", server));
        call(new ResetGuest("r1", server));
        assertThat(fake.resets()).isEqualTo(1);
        call(new ResetGuest("r2", server));
        assertThat(fake.resets()).isEqualTo(2);
    }

    @Test
    void setLiveChangesNameAndQuota() {
        String server = Specs.server();
        call(new StartGuest("c1", spec(server)));
        GuestInfo info = call(new SetGuestLive("s1", server, 2500, "</name><devices>"));
        assertThat(info.cpuMhz()).isEqualTo(2500);
        assertThat(info.name()).isEqualTo("</name><devices>");
        assertThat(call(new SetGuestLive("s2", server, null, null)).cpuMhz()).isEqualTo(2500);
        assertType(() -> call(new SetGuestLive("s3", server, 0, null)), ErrorType.USAGE, "cpu");
    }

    @Test
    void nicsWithoutANetworkJoinTheDefaultOne() {
        String server = Specs.server();
        GuestSpec spec = spec(server);
        GuestSpec noNetwork = new GuestSpec(server, spec.name(), spec.cpu(), spec.memoryMb(), spec.disks(),
                List.of(new NicSpec(0, spec.nics().get(0).model(), spec.nics().get(0).mac(), null)), spec.boot(), null);
        call(new StartGuest("c1", noNetwork));
        // the same spec with the default network written out is the same configuration
        assertThat(call(new StartGuest("c2", spec)).server()).isEqualTo(server);
    }

    @Test
    void stateChangesArePublishedWithTheirReasons() {
        String a = Specs.server();
        String b = Specs.server();
        String c = Specs.server();
        String d = Specs.server();
        for (String s : List.of(a, b, c, d)) {
            call(new StartGuest("start-" + s, spec(s)));
        }
        call(new ShutdownGuest("sd", a));
        assertThat(call(new DescribeGuest("dg", a)).state()).isEqualTo(GuestState.SHUTTING_DOWN);
        fake.guestPowersOff(a);
        call(new StopGuest("st", b));
        fake.killBehindTheBack(c);
        fake.crash(d);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(changes())
                .contains(new Change(a, GuestState.RUNNING, StateReason.STARTED),
                        new Change(a, GuestState.STOPPED, StateReason.GUEST_SHUTDOWN),
                        new Change(b, GuestState.STOPPED, StateReason.POWER_CUT),
                        new Change(c, GuestState.STOPPED, StateReason.DESTROYED_BEHIND_OUR_BACK),
                        new Change(d, GuestState.CRASHED, StateReason.CRASHED)));
        assertThat(events.stream().filter(GuestStateChanged.class::isInstance).map(GuestStateChanged.class::cast)
                .allMatch(e -> e.node().equals(NODE))).isTrue();
    }

    record Change(String server, GuestState state, StateReason reason) {
    }

    private List<Change> changes() {
        return events.stream().filter(GuestStateChanged.class::isInstance).map(GuestStateChanged.class::cast)
                .map(e -> new Change(e.server(), e.state(), e.reason())).toList();
    }

    @Test
    void heartbeatsCarryCapacityAndTheServersRunning() {
        String server = Specs.server();
        call(new StartGuest("c1", spec(server)));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.stream()
                .filter(AgentHeartbeat.class::isInstance).map(AgentHeartbeat.class::cast)
                .anyMatch(h -> h.servers().equals(List.of(server)) && h.host().guests() == 1
                        && h.host().committedMhz() == 1000 && h.host().committedMemoryMb() == 64)).isTrue());
        var host = call(new DescribeHost("h"));
        assertThat(host.node()).isEqualTo(NODE);
        assertThat(host.cores()).isEqualTo(8);
        assertThat(host.mhz()).isEqualTo(2000);
        assertThat(host.domainType()).isEqualTo("qemu");
    }

    @Test
    void describesTheNamedGuestsThatRunHereAndNoOthers() {
        String first = Specs.server();
        String second = Specs.server();
        String notNamed = Specs.server();
        for (String server : List.of(first, second, notNamed)) {
            call(new StartGuest("start-" + server, spec(server)));
        }
        String notHere = Specs.server();
        assertThat(call(new DescribeGuests("dg", List.of(second, notHere, first))).guests())
                .extracting(GuestInfo::server, GuestInfo::state)
                .containsExactly(tuple(second, GuestState.RUNNING), tuple(first, GuestState.RUNNING));
        assertThat(call(new DescribeGuests("none", List.of())).guests()).isEmpty();
    }

    @Test
    void aRestartedAgentAdoptsTheGuestsStillRunning() {
        String server = Specs.server();
        call(new StartGuest("c1", spec(server)));
        agent.close();
        events.clear();
        agent = new NodeAgent(NODE, fake, bus, Duration.ofMillis(100), "elastic-public");
        agent.start();
        // Events reach subscribers on the bus's own thread: wait for them, within bounds.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(changes())
                .contains(new Change(server, GuestState.RUNNING, StateReason.ADOPTED)));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(events.stream()
                .filter(AgentHeartbeat.class::isInstance).map(AgentHeartbeat.class::cast)
                .anyMatch(h -> h.servers().contains(server))).isTrue());
        assertThat(call(new ListGuests("l")).guests()).extracting(GuestInfo::server).containsExactly(server);
    }

    @Test
    void agentsWithTunnelsFloodToEachOtherLearnedFromHeartbeats() {
        FakeHostNetwork networkA = new FakeHostNetwork("169.254.250.1");
        FakeHostNetwork networkB = new FakeHostNetwork("169.254.250.2");
        NodeAgent a = new NodeAgent("tunnel-a", new FakeHypervisor(), bus, Duration.ofMillis(100), "elastic-public", networkA);
        NodeAgent b = new NodeAgent("tunnel-b", new FakeHypervisor(), bus, Duration.ofMillis(100), "elastic-public", networkB);
        a.start();
        b.start();
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(networkA.peers()).containsExactly("169.254.250.2");
                assertThat(networkB.peers()).containsExactly("169.254.250.1");
            });
            assertThat(events.stream().filter(AgentHeartbeat.class::isInstance).map(AgentHeartbeat.class::cast)
                    .filter(h -> h.host().node().equals("tunnel-a")).findFirst().orElseThrow().host().tunnelAddress())
                    .isEqualTo("169.254.250.1");
            // the agent without a tunnel (host-a) is nobody's peer
            assertThat(networkA.peers()).doesNotContain((String) null);
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aPeerNotHeardFromExpires() {
        FakeHostNetwork network = new FakeHostNetwork("169.254.250.1");
        TunnelPeers peers = new TunnelPeers("me", network, Duration.ofSeconds(30));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        peers.heard("other", "169.254.250.7", now);
        peers.heard("me-too", "not an address", now);
        assertThat(network.peers()).containsExactly("169.254.250.7");
        peers.expire(now.plusSeconds(29));
        assertThat(network.peers()).containsExactly("169.254.250.7");
        peers.heard("other", "169.254.250.8", now.plusSeconds(20));
        assertThat(network.peers()).containsExactly("169.254.250.8");
        peers.expire(now.plusSeconds(51));
        assertThat(network.peers()).isEmpty();
        assertThat(NodeAgent.peerExpiry(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(30));
        assertThat(NodeAgent.peerExpiry(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(60));
    }
}
