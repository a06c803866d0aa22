package io.elasticcloud.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.elasticcloud.agent.hypervisor.GuestEvent;
import io.elasticcloud.agent.network.CommandRunner;
import io.elasticcloud.agent.network.FakeHostNetwork;
import io.elasticcloud.agent.testing.Specs;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import io.elasticcloud.protocol.agent.GuestSpec.VlanSpec;
import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.agent.NicModel;
import io.elasticcloud.protocol.agent.StateReason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

/**
 * DHCP host entries and VLAN bridges kept in step with the guests, on libvirt's test driver (its
 * networks take {@code virNetworkUpdate} like the real ones) and a {@link FakeHostNetwork}: the
 * real guests, bridges and dnsmasq are {@code RealNetworkGuestTest}'s.
 */
class GuestNetworksTest {
    private static final String URI = "test:///default";
    /** libvirt's test driver keeps no {@code <dnsmasq:options>}: its networks have the virNetworkUpdate path. */
    private static final PublicNetwork PUBLIC = new PublicNetwork("elastic-test-public", "eltpub0", "169.254.10.0/24",
            "169.254.10.1", Path.of(System.getProperty("java.io.tmpdir"), "elastic-test-public.hostsdir"));
    private static final String VLAN = "0c7f3b1e-2a4d-4e8f-9b61-5d3c2e1f0a9b";
    private Connect keeper;
    private FakeHostNetwork host;
    private LibvirtHypervisor hypervisor;
    private final List<String> released = new CopyOnWriteArrayList<>();
    /** While closed, releasing a lease blocks (a slow host): stops must answer regardless. */
    private final CountDownLatch hostAnswers = new CountDownLatch(0);
    private volatile CountDownLatch gate = hostAnswers;
    private final CommandRunner commands = argv -> {
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        released.add(String.join(" ", argv));
        return new CommandRunner.Result(0, "", "");
    };

    @BeforeEach
    void open() throws Exception {
        LibvirtEventLoop.ensureRunning();
        keeper = new Connect(URI);
        host = new FakeHostNetwork(null);
        hypervisor = new LibvirtHypervisor(new LibvirtHypervisor.Settings(URI, "qemu", null, false, PUBLIC, host, commands));
    }

    @AfterEach
    void close() throws Exception {
        hypervisor.close();
        keeper.close();
    }

    private static GuestSpec guest(String server, String dhcpIp, int vni, String privateMac) {
        GuestSpec simple = Specs.simple(server, "/var/lib/elastic/" + server + ".raw", PUBLIC.name());
        List<NicSpec> nics = vni == 0
                ? List.of(new NicSpec(0, NicModel.E1000, Specs.mac(server), PUBLIC.name(), dhcpIp, null))
                : List.of(new NicSpec(0, NicModel.E1000, Specs.mac(server), PUBLIC.name(), dhcpIp, null),
                        new NicSpec(1, NicModel.VIRTIO, privateMac, null, null, new VlanSpec(VLAN, vni)));
        return new GuestSpec(server, simple.name(), simple.cpu(), simple.memoryMb(), simple.disks(), nics, simple.boot(), null);
    }

    private List<String> entries() {
        return new DhcpHosts(keeper, commands).entries(PUBLIC.name()).stream().map(e -> e.mac() + "=" + e.ip()).toList();
    }

    private static void assertType(Runnable call, ErrorType type, String words) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ElasticException.class, e -> {
            assertThat(e.type()).isEqualTo(type);
            assertThat(e.getMessage()).contains(words);
        });
    }

    @Test
    void entriesAndBridgesComeWithTheFirstGuestAndGoWithTheLast() throws Exception {
        assertThat(keeper.networkLookupByName(PUBLIC.name()).getXMLDesc(0)).doesNotContain("<range").doesNotContain("<forward");
        String a = Specs.server();
        String b = Specs.server();
        hypervisor.start(guest(a, "169.254.10.50", 7, "52:54:01:00:00:0a"));
        hypervisor.start(guest(b, null, 7, "52:54:01:00:00:0b"));
        assertThat(entries()).containsExactly(Specs.mac(a) + "=169.254.10.50");
        assertThat(host.vlans()).containsExactly(7);
        // a repeated start changes nothing
        hypervisor.start(guest(a, "169.254.10.50", 7, "52:54:01:00:00:0a"));
        assertThat(entries()).containsExactly(Specs.mac(a) + "=169.254.10.50");

        String c = Specs.server();
        assertType(() -> hypervisor.start(guest(c, "169.254.10.50", 0, null)), ErrorType.BUSY, "169.254.10.50");
        // the guest holding it (maybe another customer's) and the host's network are not the customer's to know
        assertThatThrownBy(() -> hypervisor.start(guest(c, "169.254.10.50", 0, null))).message()
                .doesNotContain(a).doesNotContain(PUBLIC.name());
        assertType(() -> hypervisor.start(guest(c, null, 7, "52:54:01:00:00:0b")), ErrorType.BUSY, "52:54:01:00:00:0b");
        assertType(() -> hypervisor.start(guest(c, "192.0.2.9", 0, null)), ErrorType.FAILED, "no subnet");
        assertThat(hypervisor.inspect(c)).isEmpty();

        // the host follows right after the stop answered
        hypervisor.stop(a);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(entries()).isEmpty());
        // and dnsmasq is told to forget the lease, so the address can go to another MAC at once
        assertThat(released).containsExactly(
                "dhcp_release eltpub0 169.254.10.50 " + Specs.mac(a) + " 01:" + Specs.mac(a),
                "dhcp_release eltpub0 169.254.10.50 " + Specs.mac(a));
        assertThat(host.vlans()).containsExactly(7);
        hypervisor.stop(b);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(host.vlans()).isEmpty());
        assertThat(host.history()).containsExactly("add 7", "remove 7");
    }

    @Test
    void staleEntriesGoAndARestartedAgentPutsTheHostBackInStepWithTheRunningGuests() throws Exception {
        DhcpHosts dhcp = new DhcpHosts(keeper, commands);
        dhcp.add(PUBLIC.name(), new DhcpHosts.Entry("52:54:00:ee:ee:ee", "169.254.10.60"));
        dhcp.add(PUBLIC.name(), new DhcpHosts.Entry("52:54:00:ee:ee:ef", "169.254.10.61"));
        String a = Specs.server();
        hypervisor.start(guest(a, "169.254.10.60", 0, null));
        assertThat(entries()).containsExactlyInAnyOrder(Specs.mac(a) + "=169.254.10.60", "52:54:00:ee:ee:ef=169.254.10.61");
        // a guest offered nothing is not offered what an old entry for its MAC would
        String b = Specs.server();
        dhcp.add(PUBLIC.name(), new DhcpHosts.Entry(Specs.mac(b), "169.254.10.62"));
        hypervisor.start(guest(b, null, 0, null));
        assertThat(entries()).doesNotContain(Specs.mac(b) + "=169.254.10.62");
        hypervisor.stop(b);

        String v = Specs.server();
        hypervisor.start(guest(v, null, 12, "52:54:01:00:00:0c"));
        hypervisor.close();
        // while no agent ran: A's entry and the bridge of V's VLAN were lost, a stray one left behind
        dhcp.remove(PUBLIC.name(), new DhcpHosts.Entry(Specs.mac(a), "169.254.10.60"));
        dhcp.add(PUBLIC.name(), new DhcpHosts.Entry("52:54:00:ee:ee:f0", "169.254.10.63"));
        host.removeVlan(12);
        host.addVlan(99);
        hypervisor = new LibvirtHypervisor(new LibvirtHypervisor.Settings(URI, "qemu", null, false, PUBLIC, host, commands));
        assertThat(hypervisor.recover()).extracting(g -> g.server()).containsExactlyInAnyOrder(a, v);
        assertThat(entries()).containsExactly(Specs.mac(a) + "=169.254.10.60");
        assertThat(host.vlans()).containsExactly(12);
        hypervisor.stop(v);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(host.vlans()).isEmpty());
        hypervisor.destroy(a);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(entries()).isEmpty());
    }

    /**
     * A stop (and a destroy) answers once the domain is gone: the host entries and bridges follow
     * on a thread of their own (libvirt restarts dnsmasq and reloads the network's firewall rules at
     * each host entry change, seconds on a busy host), here held up by a lease release that blocks.
     */
    @Test
    void aStopAnswersWithoutWaitingForTheHostsNetworks() throws Exception {
        String a = Specs.server();
        String b = Specs.server();
        String c = Specs.server();
        List<GuestEvent> events = new CopyOnWriteArrayList<>();
        hypervisor.onEvent(events::add);
        hypervisor.start(guest(a, "169.254.10.70", 8, "52:54:01:00:00:70"));
        hypervisor.start(guest(b, "169.254.10.71", 0, null));
        hypervisor.start(guest(c, "169.254.10.72", 0, null));
        gate = new CountDownLatch(1);
        try {
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                caller.submit(() -> hypervisor.stop(a)).get(10, TimeUnit.SECONDS);
                caller.submit(() -> hypervisor.destroy(b)).get(10, TimeUnit.SECONDS);
            } finally {
                caller.shutdownNow();
            }
            // a guest that ends by itself is reported at once too
            keeper.domainLookupByName(DomainXml.domainName(c)).destroy();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events)
                    .contains(new GuestEvent(c, GuestState.STOPPED, StateReason.DESTROYED_BEHIND_OUR_BACK)));
            assertThat(hypervisor.list()).isEmpty();
            assertThat(entries()).as("the pass waits for the host").hasSize(3);
        } finally {
            gate.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(entries()).isEmpty();
            assertThat(host.vlans()).isEmpty();
        });
    }

    @Test
    void withoutAHostNetworkAVlanNicFails() throws Exception {
        try (LibvirtHypervisor plain = new LibvirtHypervisor(new LibvirtHypervisor.Settings(URI, "qemu", null, false))) {
            String server = Specs.server();
            assertType(() -> plain.start(guest(server, null, 5, "52:54:01:00:00:05")), ErrorType.FAILED, "VLANs");
            assertThat(plain.inspect(server)).isEmpty();
        }
    }

    @Test
    void theBridgesAreListedAfterAStopOnlyWhileAVlanIsWantedOrKnown() throws Exception {
        host.addVlan(99); // left behind while no agent ran
        hypervisor.recover();
        assertThat(host.history()).containsExactly("add 99", "remove 99");
        int listings = host.listings();
        for (int i = 0; i < 3; i++) {
            String plain = Specs.server();
            hypervisor.start(guest(plain, null, 0, null));
            hypervisor.stop(plain);
        }
        assertThat(host.listings()).as("no VLAN wanted nor known: no listing").isEqualTo(listings);

        String v = Specs.server();
        hypervisor.start(guest(v, null, 9, "52:54:01:00:00:09"));
        hypervisor.stop(v);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(host.history()).endsWith("add 9", "remove 9"));
        assertThat(host.listings()).isGreaterThan(listings);
        listings = host.listings();
        String plain = Specs.server();
        hypervisor.start(guest(plain, null, 0, null));
        hypervisor.destroy(plain);
        assertThat(host.listings()).isEqualTo(listings);
    }

    /**
     * Stops in parallel share reconciliation passes (a stop's pass is skipped when one that began
     * after it ran meanwhile): whatever the interleaving, the host ends in step with the guests
     * still running, and with none once they all stopped.
     */
    @Test
    void parallelStartsAndStopsLeaveTheHostInStepWithTheRunningGuests() throws Exception {
        int guests = 12;
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < guests; i++) {
            servers.add(Specs.server());
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < guests; i++) {
                String server = servers.get(i);
                int n = i;
                started.add(pool.submit(() -> hypervisor.start(guest(server, "169.254.10." + (100 + n), 20 + n % 3,
                        String.format("52:54:01:00:01:%02x", n)))));
            }
            for (Future<?> f : started) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(entries()).hasSize(guests);
            assertThat(host.vlans()).containsExactlyInAnyOrder(20, 21, 22);

            // every guest of VLAN 20 and 21 stops, in parallel; those of VLAN 22 keep running
            List<Future<?>> stopped = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < guests; i++) {
                String server = servers.get(i);
                if ((20 + i % 3) == 22) {
                    kept.add(Specs.mac(server) + "=169.254.10." + (100 + i));
                } else {
                    stopped.add(pool.submit(() -> hypervisor.stop(server)));
                }
            }
            for (Future<?> f : stopped) {
                f.get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(entries()).containsExactlyInAnyOrderElementsOf(kept);
                assertThat(host.vlans()).containsExactly(22);
            });

            List<Future<?>> rest = new ArrayList<>();
            for (int i = 0; i < guests; i++) {
                String server = servers.get(i);
                if ((20 + i % 3) == 22) {
                    rest.add(pool.submit(() -> hypervisor.destroy(server)));
                }
            }
            for (Future<?> f : rest) {
                f.get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(entries()).isEmpty();
                assertThat(host.vlans()).isEmpty();
            });
            assertThat(hypervisor.list()).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }
}
