package io.elasticcloud.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.elasticcloud.agent.hypervisor.GuestEvent;
import io.elasticcloud.agent.network.HostNetwork;
import io.elasticcloud.agent.network.IpHostNetwork;
import io.elasticcloud.agent.network.ProcessCommandRunner;
import io.elasticcloud.agent.testing.RealHost;
import io.elasticcloud.agent.testing.Specs;
import io.elasticcloud.protocol.agent.DiskBus;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.CpuSpec;
import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import io.elasticcloud.protocol.agent.GuestSpec.VlanSpec;
import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.agent.Media;
import io.elasticcloud.protocol.agent.NicModel;
import io.elasticcloud.protocol.agent.StateReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Network;

/**
 * Real guests (QEMU under libvirt, TCG) on the agent's networks: a public network the agent defines
 * itself (isolated, DHCP for host entries only) and two VLANs, each a bridge of its own. Guest A
 * (public address .50, VLAN X), guest B (no public address, VLAN X) and guest C (public address
 * .51, VLAN Y) boot the test guest; a config disk tells each its private address (all three in one
 * subnet) and whom to ping, and each prints on its console what it got by DHCP and whom it reached.
 * Then the host entries and the bridges go as the guests stop (power cut, ACPI), and a restarted
 * agent removes what a guest left behind. Fails, never skips, without libvirt, QEMU or root.
 */
@Tag("libvirt")
@Tag("guest")
@Tag("root")
class RealNetworkGuestTest {
    private static final Path WORK = Path.of("target", "real-network").toAbsolutePath();
    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final int SUBNET = 200 + (int) (Math.random() * 50);
    private static final String PRIVATE = "169.254.201.";
    private static final int VLAN_X = 0x300000 + (int) (Math.random() * 0xfff00);
    private static final int VLAN_Y = VLAN_X + 1;
    private static final PublicNetwork PUBLIC = new PublicNetwork("elt-pub-" + TAG, "eltp" + TAG,
            "169.254." + SUBNET + ".0/24", "169.254." + SUBNET + ".1");
    private static Connect keeper;
    private static Path iso;

    @BeforeAll
    static void hostReady() throws Exception {
        RealHost.requireLibvirtAndQemu();
        LibvirtEventLoop.ensureRunning();
        keeper = RealHost.connectStartingDaemons();
        Files.createDirectories(WORK);
        iso = RealHost.buildTestGuest(WORK.resolve("guest"));
    }

    @AfterAll
    static void cleanUp() throws Exception {
        try {
            Network network = keeper.networkLookupByName(PUBLIC.name());
            if (network.isActive() == 1) {
                network.destroy();
            }
            network.undefine();
        } catch (Exception e) {
            // never defined: the hypervisor did not come up
        }
        try (var files = Files.list(PUBLIC.hostsDir())) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(PUBLIC.hostsDir());
        } catch (java.nio.file.NoSuchFileException e) {
            // never made
        }
        for (int vni : List.of(VLAN_X, VLAN_Y, VLAN_Y + 1)) {
            new ProcessBuilder("ip", "link", "del", "dev", HostNetwork.bridge(vni)).start().waitFor();
        }
        keeper.close();
    }

    private record Guest(String server, String name, GuestSpec spec, Path console) {
        String mac(int nic) {
            return spec.nics().get(nic).mac();
        }
    }

    private static Guest guest(String name, String dhcpIp, int vni, String privateIp, Path consoles, String... peers)
            throws Exception {
        String server = Specs.server();
        String publicMac = Specs.mac(server);
        String privateMac = "52:54:01" + publicMac.substring(8);
        Path config = WORK.resolve(name + "-" + TAG + ".config");
        String text = "ELASTIC-TEST-CONFIG\nPRIVATE_MAC=" + privateMac + "\nPRIVATE_IP=" + privateIp
                + "\nPRIVATE_MASK=255.255.255.0\nPING=" + String.join(" ", peers) + "\nPING_SECONDS=90\n";
        byte[] disk = new byte[1 << 20];
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, disk, 0, bytes.length);
        Files.write(config, disk);
        GuestSpec spec = new GuestSpec(server, "network guest " + name, new CpuSpec(1, 1, 1, 2000), 160,
                List.of(Specs.disk(DiskBus.IDE, 0, 0, Media.CDROM, iso.toString()),
                        Specs.disk(DiskBus.BLOCK, 0, 0, Media.DISK, config.toString())),
                List.of(new NicSpec(0, NicModel.E1000, publicMac, PUBLIC.name(), dhcpIp, null),
                        new NicSpec(1, NicModel.VIRTIO, privateMac, null, null,
                                new VlanSpec(UUID.randomUUID().toString(), vni))),
                List.of("ide:0:0"), null);
        return new Guest(server, name, spec, consoles.resolve("elastic-" + server + ".log"));
    }

    @Test
    void guestsGetTheirAddressesReachTheirVlanOnlyAndLeaveNothingBehind() throws Exception {
        Path consoles = WORK.resolve("consoles-" + TAG);
        String a50 = "169.254." + SUBNET + ".50";
        String c51 = "169.254." + SUBNET + ".51";
        Guest a = guest("a", a50, VLAN_X, PRIVATE + "11", consoles, PRIVATE + "12", PRIVATE + "13");
        Guest b = guest("b", null, VLAN_X, PRIVATE + "12", consoles, PRIVATE + "11");
        Guest c = guest("c", c51, VLAN_Y, PRIVATE + "13", consoles, PRIVATE + "11", PRIVATE + "12");
        List<GuestEvent> events = new CopyOnWriteArrayList<>();
        LibvirtHypervisor.Settings settings = new LibvirtHypervisor.Settings(RealHost.URI, "auto", consoles, false,
                PUBLIC, new IpHostNetwork(ProcessCommandRunner.local(), null));
        List<Guest> guests = new ArrayList<>(List.of(a, b, c));
        try (LibvirtHypervisor hypervisor = new LibvirtHypervisor(settings)) {
            hypervisor.onEvent(events::add);
            try {
                // the agent defined its public network: isolated, DHCP without a range, its host
                // entries in a directory dnsmasq reads (no virNetworkUpdate, no dnsmasq restart)
                String networkXml = keeper.networkLookupByName(PUBLIC.name()).getXMLDesc(0);
                assertThat(networkXml).contains("prefix='24'").doesNotContain("<range").doesNotContain("<forward")
                        .contains("dhcp-hostsdir=" + PUBLIC.hostsDir());
                assertThat(keeper.networkLookupByName(PUBLIC.name()).getAutostart()).isTrue();

                for (Guest g : guests) {
                    hypervisor.start(g.spec());
                }
                assertThat(hostEntries()).containsExactlyInAnyOrder(a.mac(0) + "=" + a50, c.mac(0) + "=" + c51);
                assertThat(Files.readString(PUBLIC.hostsDir().resolve(a.mac(0)))).isEqualTo(a.mac(0) + "," + a50 + "\n");
                assertThat(bridgePorts(VLAN_X)).hasSize(2);
                assertThat(bridgePorts(VLAN_Y)).hasSize(1);

                Map<String, Instant> seen = new ConcurrentHashMap<>();
                String pingA = "PING peer=" + PRIVATE + "1";
                await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(250)).until(() -> {
                    for (Guest g : guests) {
                        String log = Files.exists(g.console()) ? Files.readString(g.console()) : "";
                        log.lines().forEach(line -> seen.putIfAbsent(g.name() + ": " + line.strip(), Instant.now()));
                    }
                    return seen.keySet().stream().filter(k -> k.contains("PING peer=")).count() == 5;
                });
                // DHCP: exactly the address of the host entry, and nothing without one
                seen(seen, "a: DHCP name=eth. ip=" + a50);
                seen(seen, "c: DHCP name=eth. ip=" + c51);
                seen(seen, "b: DHCP name=eth. none");
                Instant privateA = seen(seen, "a: PRIVATE name=eth. ip=" + PRIVATE + "11");
                seen(seen, "b: PRIVATE name=eth. ip=" + PRIVATE + "12");
                Instant privateC = seen(seen, "c: PRIVATE name=eth. ip=" + PRIVATE + "13");
                // VLAN X carries A and B's frames; C on VLAN Y, in the same subnet, reaches neither
                seen(seen, "a: " + pingA + "2 ok");
                seen(seen, "b: " + pingA + "1 ok");
                Instant aMissedC = seen(seen, "a: " + pingA + "3 none");
                Instant cMissedA = seen(seen, "c: " + pingA + "1 none");
                seen(seen, "c: " + pingA + "2 none");
                // ... while the other was there to answer
                assertThat(privateC).isBefore(aMissedC);
                assertThat(privateA).isBefore(cMissedA);

                assertThat(leases()).contains(a.mac(0) + " ipv4 " + a50 + "/24", c.mac(0) + " ipv4 " + c51 + "/24");

                // a power cut: B had no entry; VLAN X stays for A (the host is reconciled after
                // the stop answered)
                hypervisor.stop(b.server());
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(bridgePorts(VLAN_X)).hasSize(1));
                assertThat(hostEntries()).containsExactlyInAnyOrder(a.mac(0) + "=" + a50, c.mac(0) + "=" + c51);
                hypervisor.stop(a.server());
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(hostEntries()).containsExactly(c.mac(0) + "=" + c51);
                    assertThat(vlans()).doesNotContain(VLAN_X).contains(VLAN_Y);
                });
                // A's lease went with it: its address goes to another MAC at once
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(leases()).noneMatch(l -> l.contains(a.mac(0))));
                Guest d = guest("d", a50, VLAN_Y, PRIVATE + "14", consoles);
                guests.add(d);
                hypervisor.start(d.spec());
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() ->
                        Files.exists(d.console()) && Files.readString(d.console()).contains("DHCP name="));
                assertThat(Files.readString(d.console())).containsPattern("DHCP name=eth[0-9] ip=" + a50.replace(".", "\\."));
                hypervisor.stop(d.server());
                // the guest powers itself off (ACPI): the lifecycle event releases its address and VLAN
                hypervisor.shutdown(c.server());
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(events)
                        .contains(new GuestEvent(c.server(), GuestState.STOPPED, StateReason.GUEST_SHUTDOWN)));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(hostEntries()).isEmpty();
                    assertThat(vlans()).doesNotContain(VLAN_X, VLAN_Y);
                    assertThat(leases()).isEmpty();
                });
            } finally {
                for (Guest g : guests) {
                    if (Files.exists(g.console())) {
                        System.out.println("console of guest " + g.name() + ":\n" + Files.readString(g.console()));
                    }
                    hypervisor.destroy(g.server());
                }
            }
        }

        // what a guest left while no agent ran: a restarted agent removes it
        DhcpHosts dhcp = new DhcpHosts(keeper, ProcessCommandRunner.local());
        dhcp.add(PUBLIC.name(), new DhcpHosts.Entry("52:54:00:ee:ee:ee", "169.254." + SUBNET + ".77"));
        new IpHostNetwork(ProcessCommandRunner.local(), null).addVlan(VLAN_Y + 1);
        assertThat(hostEntries()).containsExactly("52:54:00:ee:ee:ee=169.254." + SUBNET + ".77");
        try (LibvirtHypervisor restarted = new LibvirtHypervisor(settings)) {
            assertThat(restarted.recover()).isEmpty();
        }
        assertThat(hostEntries()).isEmpty();
        assertThat(vlans()).doesNotContain(VLAN_Y + 1);
    }

    /** When the console line matching {@code line} ("." is any character) was first seen; fails when never. */
    private static Instant seen(Map<String, Instant> seen, String line) {
        String regex = line.replace(".", "\\.").replace("eth\\.", "eth[0-9]");
        return seen.entrySet().stream().filter(e -> e.getKey().matches(regex)).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no console line " + line + " among " + seen.keySet()));
    }

    private static List<String> hostEntries() throws Exception {
        List<String> entries = new ArrayList<>();
        for (DhcpHosts.Entry e : new DhcpHosts(keeper, ProcessCommandRunner.local()).entries(PUBLIC.name())) {
            entries.add(e.mac() + "=" + e.ip());
        }
        return entries;
    }

    /** The network's leases as {@code virsh net-dhcp-leases} lists them: "MAC ipv4 IP/PREFIX". */
    private static List<String> leases() throws Exception {
        return RealHost.run(Duration.ofSeconds(20), "virsh", "-c", RealHost.URI, "net-dhcp-leases", PUBLIC.name()).lines()
                .map(l -> l.strip().split("\\s+")).filter(f -> f.length >= 5 && f[2].contains(":"))
                .map(f -> f[2] + " " + f[3] + " " + f[4]).toList();
    }

    private static List<Integer> vlans() {
        return List.copyOf(new IpHostNetwork(ProcessCommandRunner.local(), null).vlans());
    }

    private static List<String> bridgePorts(int vni) throws Exception {
        return RealHost.run(Duration.ofSeconds(10), "ip", "-o", "link", "show", "master", HostNetwork.bridge(vni))
                .lines().filter(l -> !l.isBlank()).toList();
    }
}
