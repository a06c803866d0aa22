package io.elasticcloud.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.elasticcloud.agent.network.CommandRunner.Result;
import io.elasticcloud.agent.NodeAgent;
import io.elasticcloud.agent.hypervisor.FakeHypervisor;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.bus.InProcessTransport;
import io.elasticcloud.protocol.bus.MessageCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two hosts made of network namespaces, joined by a veth pair as their underlay (169.254.250.1 and
 * .2), each building VLAN A's and VLAN B's bridges and VXLAN devices with the agent's own {@link
 * IpHostNetwork} (its commands run inside the host's namespace). Guests are namespaces of their
 * own, attached to a VLAN's bridge by a veth pair, all in one subnet (169.254.251.0/24): frames
 * cross between the hosts on each VLAN, never from one VLAN to the other, on one host or across.
 * Two node agents on one bus, one per "host", learn each other's tunnel address from their
 * heartbeats. Needs root and iproute2; everything it makes is in its own namespaces, deleted at the
 * end.
 */
@Tag("root")
class VxlanNamespacesTest {
    private static final String TAG = UUID.randomUUID().toString().substring(0, 4);
    private static final String HOST1 = "elh1-" + TAG;
    private static final String HOST2 = "elh2-" + TAG;
    private static final String UNDERLAY1 = "169.254.250.1";
    private static final String UNDERLAY2 = "169.254.250.2";
    private static final int VLAN_A = 0x100000 + (int) (Math.random() * 0xfff00);
    private static final int VLAN_B = VLAN_A + 1;
    private static final List<String> namespaces = new ArrayList<>();
    private static IpHostNetwork host1;
    private static IpHostNetwork host2;

    @BeforeAll
    static void twoHostsAndFourGuests() {
        for (String binary : List.of("/usr/sbin/ip", "/usr/sbin/bridge", "/bin/busybox")) {
            if (!Files.isExecutable(Path.of(binary)) && !Files.isExecutable(Path.of(binary.replace("/usr/sbin", "/sbin")))) {
                fail(binary + " is missing: deploy/install-deps.sh installs iproute2 and busybox-static");
            }
        }
        namespace(HOST1);
        namespace(HOST2);
        sh("ip", "-n", HOST1, "link", "add", "eu1" + TAG, "type", "veth", "peer", "name", "eu2" + TAG, "netns", HOST2);
        sh("ip", "-n", HOST1, "addr", "add", UNDERLAY1 + "/24", "dev", "eu1" + TAG);
        sh("ip", "-n", HOST2, "addr", "add", UNDERLAY2 + "/24", "dev", "eu2" + TAG);
        sh("ip", "-n", HOST1, "link", "set", "eu1" + TAG, "up");
        sh("ip", "-n", HOST2, "link", "set", "eu2" + TAG, "up");

        host1 = new IpHostNetwork(ProcessCommandRunner.inNamespace(HOST1), UNDERLAY1);
        host2 = new IpHostNetwork(ProcessCommandRunner.inNamespace(HOST2), UNDERLAY2);
        // peers known before the VLANs exist on one host, learned after on the other
        host1.setPeers(Set.of(UNDERLAY2, UNDERLAY1));
        host1.addVlan(VLAN_A);
        host1.addVlan(VLAN_B);
        host2.addVlan(VLAN_A);
        host2.addVlan(VLAN_B);
        host2.addVlan(VLAN_A);
        host2.setPeers(Set.of(UNDERLAY1));

        guest("ga1", HOST1, VLAN_A, "169.254.251.11");
        guest("ga2", HOST2, VLAN_A, "169.254.251.12");
        guest("gb1", HOST1, VLAN_B, "169.254.251.13");
        guest("gb2", HOST2, VLAN_B, "169.254.251.14");
    }

    @AfterAll
    static void deleteEverything() {
        // deleting a namespace deletes its links, and a veth pair dies with either end
        for (String ns : namespaces) {
            run("ip", "netns", "del", ns);
        }
        Result left = run("ip", "netns", "list");
        for (String ns : namespaces) {
            assertThat(left.output()).doesNotContain(ns);
        }
    }

    @Test
    void eachVlanCarriesFramesBetweenTheHostsAndNeverToTheOther() {
        assertThat(host1.vlans()).containsExactlyInAnyOrder(VLAN_A, VLAN_B);
        assertThat(host2.vlans()).containsExactlyInAnyOrder(VLAN_A, VLAN_B);
        assertThat(host1.peers()).containsExactly(UNDERLAY2);
        assertThat(flood(HOST2, VLAN_A)).containsExactly(UNDERLAY1);

        assertThat(ping("ga1", "169.254.251.12")).as("VLAN A, host 1 to host 2").isTrue();
        assertThat(ping("gb2", "169.254.251.13")).as("VLAN B, host 2 to host 1").isTrue();
        // the remote guest's MAC was learned behind the other host's tunnel address
        assertThat(sh("bridge", "-n", HOST1, "fdb", "show", "dev", HostNetwork.vxlan(VLAN_A)))
                .contains(mac("ga2") + " dst " + UNDERLAY2);

        assertThat(ping("ga1", "169.254.251.13")).as("VLAN A to VLAN B on the same host").isFalse();
        assertThat(ping("ga1", "169.254.251.14")).as("VLAN A to VLAN B on the other host").isFalse();
        assertThat(ping("gb2", "169.254.251.12")).as("VLAN B to VLAN A on the same host").isFalse();
        assertThat(ping("gb1", "169.254.251.12")).as("VLAN B to VLAN A on the other host").isFalse();
        assertThat(sh("bridge", "-n", HOST1, "fdb", "show", "dev", HostNetwork.vxlan(VLAN_B)))
                .doesNotContain(mac("ga2")).doesNotContain(mac("ga1"));
    }

    @Test
    void peersFollowTheHostsAndALeftVlanIsGone() {
        assertThat(ping("ga2", "169.254.251.11")).as("VLAN A, host 2 to host 1").isTrue();
        int vlan = VLAN_A + 2;
        host2.addVlan(vlan);
        assertThat(host2.vlans()).contains(vlan);
        try {
            host2.setPeers(Set.of(UNDERLAY1, "169.254.250.9"));
            assertThat(flood(HOST2, vlan)).containsExactlyInAnyOrder(UNDERLAY1, "169.254.250.9");
            assertThat(flood(HOST2, VLAN_A)).containsExactlyInAnyOrder(UNDERLAY1, "169.254.250.9");
            // host 1 goes away: it no longer sends (a host that left is silent), and host 2 drops it
            host1.setPeers(Set.of());
            host2.setPeers(Set.of("169.254.250.9"));
            assertThat(flood(HOST2, vlan)).containsExactly("169.254.250.9");
            // what host 2 learned behind host 1 went with it: not even a known MAC reaches host 1
            assertThat(sh("bridge", "-n", HOST2, "fdb", "show", "dev", HostNetwork.vxlan(VLAN_A)))
                    .doesNotContain("dst " + UNDERLAY1);
            assertThat(ping("ga2", "169.254.251.11")).as("host 1 is no longer a peer of host 2").isFalse();
        } finally {
            host1.setPeers(Set.of(UNDERLAY2, UNDERLAY1));
            host2.setPeers(Set.of(UNDERLAY1));
        }
        assertThat(flood(HOST2, vlan)).containsExactly(UNDERLAY1);
        host2.removeVlan(vlan);
        host2.removeVlan(vlan);
        assertThat(host2.vlans()).containsExactlyInAnyOrder(VLAN_A, VLAN_B);
        assertThat(run("ip", "-n", HOST2, "link", "show", "dev", HostNetwork.vxlan(vlan)).ok()).isFalse();
        assertThat(run("ip", "-n", HOST2, "link", "show", "dev", HostNetwork.bridge(vlan)).ok()).isFalse();
        assertThat(ping("ga2", "169.254.251.11")).as("VLAN A, untouched, carries frames again").isTrue();
    }

    @Test
    void aBridgeWithAGuestOnItIsKept() {
        int vlan = VLAN_A + 4;
        host1.addVlan(vlan);
        guest("gk1", HOST1, vlan, "169.254.251.15");
        assertThat(host1.removeVlan(vlan)).as("a guest's port is still on the bridge").isFalse();
        assertThat(host1.vlans()).contains(vlan);
        assertThat(run("ip", "-n", HOST1, "link", "show", "dev", HostNetwork.vxlan(vlan)).ok()).isTrue();

        sh("ip", "-n", HOST1, "link", "del", "vgk1" + TAG);
        assertThat(host1.removeVlan(vlan)).as("only its own VXLAN device is left").isTrue();
        assertThat(host1.vlans()).doesNotContain(vlan);
        assertThat(run("ip", "-n", HOST1, "link", "show", "dev", HostNetwork.bridge(vlan)).ok()).isFalse();
    }

    @Test
    void agentsLearnEachOthersTunnelsFromTheirHeartbeats() {
        int vlan = VLAN_A + 3;
        IpHostNetwork fresh1 = new IpHostNetwork(ProcessCommandRunner.inNamespace(HOST1), UNDERLAY1);
        IpHostNetwork fresh2 = new IpHostNetwork(ProcessCommandRunner.inNamespace(HOST2), UNDERLAY2);
        fresh1.addVlan(vlan);
        fresh2.addVlan(vlan);
        assertThat(flood(HOST1, vlan)).isEmpty();
        try (Transport bus = new InProcessTransport(new MessageCodec(), 2);
             NodeAgent agent1 = new NodeAgent("ns-host-1", new FakeHypervisor(), bus, Duration.ofMillis(200), "pub", fresh1);
             NodeAgent agent2 = new NodeAgent("ns-host-2", new FakeHypervisor(), bus, Duration.ofMillis(200), "pub", fresh2)) {
            agent1.start();
            agent2.start();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(flood(HOST1, vlan)).containsExactly(UNDERLAY2);
                assertThat(flood(HOST2, vlan)).containsExactly(UNDERLAY1);
            });
        } finally {
            fresh1.removeVlan(vlan);
            fresh2.removeVlan(vlan);
        }
        assertThat(ping("ga1", "169.254.251.12")).as("VLAN A, host 1 to host 2").isTrue();
    }

    private static void namespace(String name) {
        sh("ip", "netns", "add", name);
        namespaces.add(name);
        sh("ip", "-n", name, "link", "set", "lo", "up");
    }

    /** A guest namespace whose eth0 is the far end of a veth pair on {@code host}'s VLAN bridge. */
    private static void guest(String name, String host, int vlan, String address) {
        String ns = name + "-" + TAG;
        namespace(ns);
        String port = "v" + name + TAG;
        sh("ip", "-n", host, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns);
        sh("ip", "-n", host, "link", "set", port, "master", HostNetwork.bridge(vlan), "up");
        sh("ip", "-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        sh("ip", "-n", ns, "link", "set", "eth0", "up");
    }

    private static String mac(String guest) {
        String out = sh("ip", "-n", guest + "-" + TAG, "-o", "link", "show", "dev", "eth0");
        return out.replaceAll("(?s).*link/ether ([0-9a-f:]{17}).*", "$1");
    }

    /** The tunnel addresses VLAN {@code vni}'s VXLAN device on {@code host} floods to. */
    private static List<String> flood(String host, int vni) {
        return sh("bridge", "-n", host, "fdb", "show", "dev", HostNetwork.vxlan(vni)).lines()
                .filter(l -> l.startsWith("00:00:00:00:00:00 dst "))
                .map(l -> l.split("\\s+")[2]).toList();
    }

    /** Whether {@code guest} gets an answer from {@code address} within a few seconds. */
    private static boolean ping(String guest, String address) {
        return run("ip", "netns", "exec", guest + "-" + TAG, "/bin/busybox", "ping", "-c", "3", "-W", "1", "-w", "4",
                address).ok();
    }

    private static String sh(String... argv) {
        Result result = run(argv);
        assertThat(result.exitCode()).as(String.join(" ", argv) + ": " + result.error()).isZero();
        return result.output();
    }

    private static Result run(String... argv) {
        return new ProcessCommandRunner(List.of(), Duration.ofSeconds(20)).run(List.of(argv));
    }
}
