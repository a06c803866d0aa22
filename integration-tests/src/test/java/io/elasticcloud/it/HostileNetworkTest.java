package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A hostile guest on the public network and on its VLAN (real QEMU guests of two customers, the
 * test guest of deploy/build-test-guest.sh). The spoofer takes the victim's static IP on its public
 * NIC (gratuitous ARP and pings from it), then gives both its NICs foreign MACs and sends from
 * them. The host keeps the victim's address on the victim's MAC and still reaches it, no bridge
 * learns a foreign MAC, and DHCP still serves both guests.
 */
class HostileNetworkTest {
    private static final Duration BOOT = Duration.ofSeconds(240);
    private static final Path WORK = Path.of("target", "hostile-network").toAbsolutePath();
    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final int SUBNET = 20 + (int) (Math.random() * 20);
    private static final String NETWORK = "elit-hn-" + TAG;
    private static final String BRIDGE = "elh" + TAG;
    private static final String GATEWAY = "169.254." + SUBNET + ".1";
    private static final String MAC = "52:54:00:" + TAG.substring(0, 2) + ":" + TAG.substring(2, 4) + ":";
    private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");
    private static RunningSystem system;
    private static PlainHttp http;
    private static byte[] image;

    @BeforeAll
    static void startSystem() throws Exception {
        Libvirt.start();
        image = Files.readAllBytes(Libvirt.testGuest(WORK));
        String subnet = "169.254." + SUBNET + ".";
        // libvirt sets up each NIC's filter with a hundred ebtables calls: seconds per NIC on a busy host
        system = RunningSystem.start("hostile-network", "--elastic.bus-timeout=90s", "--elastic.agent.network=" + NETWORK,
                "--elastic.agent.network-bridge=" + BRIDGE, "--elastic.agent.network-cidr=" + subnet + "0/24",
                "--elastic.agent.network-gateway=" + GATEWAY,
                "--elastic.network.pools[0].name=public", "--elastic.network.pools[0].cidr=" + subnet + "0/24",
                "--elastic.network.pools[0].gateway=" + GATEWAY, "--elastic.network.pools[0].first=" + subnet + "2",
                "--elastic.network.pools[0].last=" + subnet + "99",
                "--elastic.network.pools[0].vnc-listen-base=" + Libvirt.CONSOLE_BASE + "0");
        http = system.http();
    }

    @AfterAll
    static void stopSystem() {
        try {
            if (system != null) {
                // a failed run may leave its guests: take them away with the system
                for (String domain : Libvirt.domainsMentioning(system.dataDir().toString()).keySet()) {
                    Libvirt.output("virsh", "-c", Libvirt.URI, "destroy", domain);
                    Libvirt.output("virsh", "-c", Libvirt.URI, "undefine", domain);
                }
                system.close();
            }
        } finally {
            Libvirt.removeAgentNetwork(NETWORK);
        }
    }

    @Test
    void aGuestCanNeitherTakeAnotherCustomersAddressNorSendFromAForeignMac() throws Exception {
        String victimAuth = PlainHttp.basic(system.createCustomer());
        String spooferAuth = PlainHttp.basic(system.createCustomer());
        String victimIp = object(http.post("/resources/ip/create", victimAuth, "name web\n")).get("resource");
        String vlan = object(http.post("/resources/vlan/create", spooferAuth, "name own\n")).get("resource");
        String victimMac = MAC + "01";
        String spooferMac = MAC + "02";
        String spooferPrivateMac = MAC + "03";
        String foreignMac = MAC + "e1";
        String foreignPrivateMac = MAC + "e2";

        // both boot at once; the spoofer claims the victim's address, then sends from MACs not its own
        String instructions = "ELASTIC-TEST-CONFIG\nPRIVATE_MAC=" + spooferPrivateMac
                + "\nPRIVATE_IP=169.254.205.1\nPRIVATE_MASK=255.255.255.0\nSPOOF_IP=" + victimIp
                + "\nSPOOF_PING=" + GATEWAY + "\nSPOOF_SECONDS=25\nSPOOF_MAC=" + spooferMac + "/" + foreignMac + " "
                + spooferPrivateMac + "/" + foreignPrivateMac + "\nPING=" + GATEWAY + " 169.254.205.2\nPING_SECONDS=8\n";
        String victim = server(victimAuth, "victim", drives(victimAuth, "victim", null),
                "nic:0:mac " + victimMac + "\nnic:0:dhcp " + victimIp);
        String spooferDrives = drives(spooferAuth, "spoofer", instructions);
        String spooferNics = "nic:0:mac " + spooferMac + "\nnic:0:dhcp auto\nnic:1:model virtio\nnic:1:mac "
                + spooferPrivateMac + "\nnic:1:vlan " + vlan;
        String spoofer = server(spooferAuth, "spoofer", spooferDrives, spooferNics);

        // the host talks to the victim while the spoofer spoofs, so it has a neighbour entry to poison
        String victimConsole = Libvirt.awaitConsole(system, victim, "DHCP name=", 1, BOOT);
        assertThat(victimConsole).containsPattern("DHCP name=eth[0-9] ip=" + Pattern.quote(victimIp) + "\\b");
        Wait.until("the host reaches " + victimIp, Duration.ofSeconds(30), () -> reachable(victimIp));
        String spooferConsole = Libvirt.awaitConsole(system, spoofer, "PING peer=", 2, BOOT);
        // the spoofer's ports must still be on their bridges, else no learning there would prove
        // anything; another system started or stopping guests on this host meanwhile (tests run side
        // by side) removes the VLAN bridges its own guests do not hold: then the spoofer starts again
        for (int attempt = 1; !onTheirBridges(spoofer, spooferMac, spooferPrivateMac); attempt++) {
            assertThat(attempt).as("the spoofer's VLAN bridge was removed under it " + attempt + " times").isLessThan(3);
            assertThat(http.post("/servers/" + spoofer + "/destroy", spooferAuth, "").status()).isEqualTo(204);
            spoofer = server(spooferAuth, "spoofer", spooferDrives, spooferNics);
            spooferConsole = Libvirt.awaitConsole(system, spoofer, "PING peer=", 2, BOOT);
        }
        String spooferIp = object(http.get("/servers/" + spoofer + "/info", spooferAuth)).get("nic:0:dhcp:ip");
        assertThat(spooferConsole).as("the spoofer got its own address by DHCP and spoofed")
                .containsPattern("DHCP name=eth[0-9] ip=" + Pattern.quote(spooferIp) + "\\b")
                .containsPattern("SPOOF ip=" + Pattern.quote(victimIp) + " arp=[1-9]")
                .containsPattern("SPOOF name=eth[0-9] mac=" + foreignMac)
                .containsPattern("SPOOF name=eth[0-9] mac=" + foreignPrivateMac);

        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(neighbour(victimIp)).as("the host's neighbour entry for the victim's address " + victimIp
                + " (victim " + victimMac + ", spoofer " + spooferMac + ")").isEqualTo(victimMac);
        softly.assertThat(spooferConsole).as("the spoofer's pings from the victim's address are not answered")
                .containsPattern("SPOOF ip=" + Pattern.quote(victimIp) + " arp=[0-9]+ ping=none");
        softly.assertThat(reachable(victimIp)).as("the host reaches the victim").isTrue();
        softly.assertThat(neighbour(victimIp)).as("and finds it at its MAC").isEqualTo(victimMac);
        String fdb = Libvirt.run(Duration.ofSeconds(10), "bridge", "fdb", "show");
        softly.assertThat(fdb).as("the public bridge learned no MAC the spoofer gave itself").doesNotContain(foreignMac);
        softly.assertThat(fdb).as("the VLAN's bridge learned no MAC the spoofer gave itself")
                .doesNotContain(foreignPrivateMac);
        softly.assertThat(spooferConsole).as("nothing answers a foreign MAC")
                .contains("PING peer=" + GATEWAY + " none", "PING peer=169.254.205.2 none");
        softly.assertAll();

        for (String[] server : new String[][] {{victim, victimAuth}, {spoofer, spooferAuth}}) {
            assertThat(http.post("/servers/" + server[0] + "/destroy", server[1], "").status()).isEqualTo(204);
        }
    }

    @Test
    void aGuestCannotServeDhcpOnThePublicNetwork() throws Exception {
        String rogueAuth = PlainHttp.basic(system.createCustomer());
        String offered = "169.254." + SUBNET + ".150-169.254." + SUBNET + ".160";
        String rogue = server(rogueAuth, "rogue", drives(rogueAuth, "rogue",
                "ELASTIC-TEST-CONFIG\nROGUE_DHCP=" + offered + "\nPING_SECONDS=1\n"), "nic:0:dhcp auto");
        String console = Libvirt.awaitConsole(system, rogue, "ROGUE_DHCP ", 1, BOOT);
        String rogueIp = object(http.get("/servers/" + rogue + "/info", rogueAuth)).get("nic:0:dhcp:ip");
        assertThat(console).as("the rogue got its address and serves DHCP from it")
                .contains("ROGUE_DHCP serving=" + offered + " router=" + rogueIp);

        // another customer's machine on the public network asks for an address: the host's DHCP
        // offers a MAC it does not know nothing, so any lease would be the rogue's
        String namespace = "elv-" + TAG;
        String port = "elv" + TAG;
        try {
            Libvirt.run(Duration.ofSeconds(10), "ip", "netns", "add", namespace);
            Libvirt.run(Duration.ofSeconds(10), "ip", "link", "add", port, "type", "veth", "peer", "name", "eth0",
                    "netns", namespace);
            Libvirt.run(Duration.ofSeconds(10), "ip", "link", "set", port, "master", BRIDGE, "up");
            Libvirt.run(Duration.ofSeconds(10), "ip", "-n", namespace, "link", "set", "eth0", "up");
            // 8 discoveries 2 s apart; it exits 1 without a lease
            String asked = Libvirt.run(Duration.ofSeconds(40), "sh", "-c", "ip netns exec " + namespace
                    + " /bin/busybox udhcpc -i eth0 -n -q -f -t 8 -T 2 -s /bin/true 2>&1; echo exit=$?");
            assertThat(asked).as("the neighbour's DHCP client heard no offer from the rogue " + rogueIp)
                    .doesNotContain("obtained").doesNotContain(rogueIp);
        } finally {
            Libvirt.output("ip", "link", "del", port);
            Libvirt.output("ip", "netns", "del", namespace);
        }
        assertThat(http.post("/servers/" + rogue + "/destroy", rogueAuth, "").status()).isEqualTo(204);
    }

    /** The test guest's ISO (and a config disk of {@code instructions}, if given) as this customer's drives. */
    private static String drives(String auth, String name, String instructions) {
        String iso = object(http.post("/drives/create", auth, "name iso " + name + "\nsize " + image.length
                + "\nencryption:cipher none\n")).get("drive");
        http.writeDrive(iso, auth, image);
        String devices = "ide:0:0 " + iso + "\nide:0:0:media cdrom\n";
        if (instructions != null) {
            String drive = object(http.post("/drives/create", auth, "name config " + name
                    + "\nsize 1M\nencryption:cipher none\n")).get("drive");
            http.writeDrive(drive, auth, instructions.getBytes(StandardCharsets.US_ASCII));
            devices += "block:0 " + drive + "\n";
        }
        return devices;
    }

    /** Creates and starts a transient server booting the test guest's ISO. */
    private static String server(String auth, String name, String devices, String network) {
        Map<String, String> created = object(http.post("/servers/create", auth, "name " + name
                + "\ncpu 1000\nmem 256\npersistent false\n" + devices + "boot ide:0:0\nnic:0:model e1000\n" + network + "\n"));
        assertThat(created).containsEntry("status", "active");
        return created.get("server");
    }

    /** Whether the spoofer's public NIC is on the public bridge and its private one on its VLAN's bridge. */
    private static boolean onTheirBridges(String spoofer, String publicMac, String privateMac) {
        for (String mac : List.of(publicMac, privateMac)) {
            String[] port = port(Libvirt.domainOf(spoofer), mac);
            String bridge = mac.equals(publicMac) ? BRIDGE : port[1];
            if (!Libvirt.run(Duration.ofSeconds(10), "ip", "-o", "link", "show", "dev", port[0]).contains("master " + bridge)) {
                return false;
            }
        }
        return true;
    }

    /** The host's interface of the guest's NIC with {@code mac} ({@code virsh domiflist}), and its source. */
    private static String[] port(String domain, String mac) {
        for (String line : Libvirt.virsh("domiflist", domain).lines().toList()) {
            String[] columns = line.strip().split("\\s+");
            if (columns.length == 5 && columns[4].equals(mac)) {
                return new String[] {columns[0], columns[2]};
            }
        }
        throw new AssertionError("no NIC " + mac + " in virsh domiflist " + domain);
    }

    /** An ICMP echo from the host to {@code ip} over the public bridge is answered within 2 s. */
    private static boolean reachable(String ip) {
        try {
            return InetAddress.getByName(ip).isReachable(NetworkInterface.getByName(BRIDGE), 0, 2000);
        } catch (IOException e) {
            return false;
        }
    }

    /** The MAC the host's neighbour table gives {@code ip} on the public bridge, or "none". */
    private static String neighbour(String ip) {
        String line = Libvirt.run(Duration.ofSeconds(10), "ip", "neigh", "show", ip, "dev", BRIDGE);
        Matcher mac = LLADDR.matcher(line);
        return mac.find() ? mac.group(1) : "none (" + line.strip() + ")";
    }

    private static Map<String, String> object(PlainHttp.Reply reply) {
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        return PlainHttp.parseObject(reply.text());
    }
}
