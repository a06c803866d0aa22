package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Networks through the API on real guests (QEMU under libvirt, the test guest of
 * deploy/build-test-guest.sh): a customer's static IP is what their guest gets by DHCP, an
 * {@code auto} address is what info reports, a guest with {@code nic:0:dhcp} unset is offered
 * nothing, two guests on one VLAN reach each other over their private NICs while a guest on
 * another VLAN reaches neither, and the host entries go when the servers stop. The agent defines
 * the public network itself (no dynamic DHCP range: host entries only), on a subnet of its own.
 */
class RealNetworkServerTest {
    private static final Duration BOOT = Duration.ofSeconds(240);
    private static final Path WORK = Path.of("target", "real-network-server").toAbsolutePath();
    private static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    private static final int SUBNET = 40 + (int) (Math.random() * 50);
    private static final String NETWORK = "elit-pub-" + TAG;
    private static final String PRIVATE = "169.254.203.";
    private static RunningSystem system;
    private static PlainHttp http;
    private static String auth;
    private static String iso;

    @BeforeAll
    static void startSystem() throws Exception {
        Libvirt.start();
        Path isoFile = Libvirt.testGuest(WORK);
        String subnet = "169.254." + SUBNET + ".";
        system = RunningSystem.start("networks", "--elastic.agent.network=" + NETWORK,
                "--elastic.agent.network-bridge=elp" + TAG, "--elastic.agent.network-cidr=" + subnet + "0/24",
                "--elastic.agent.network-gateway=" + subnet + "1",
                "--elastic.network.pools[0].name=public", "--elastic.network.pools[0].cidr=" + subnet + "0/24",
                "--elastic.network.pools[0].gateway=" + subnet + "1", "--elastic.network.pools[0].first=" + subnet + "2",
                "--elastic.network.pools[0].last=" + subnet + "99",
                "--elastic.network.pools[0].vnc-listen-base=" + Libvirt.CONSOLE_BASE + "0");
        Libvirt.assertReachableByGuests(system);
        http = system.http();
        auth = PlainHttp.basic(system.createCustomer());
        byte[] image = Files.readAllBytes(isoFile);
        iso = object(http.post("/drives/create", auth, "name test guest iso\nsize " + image.length
                + "\nencryption:cipher none\nclaim:type shared\n")).get("drive");
        http.writeDrive(iso, auth, image);
    }

    @AfterAll
    static void stopSystem() {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            // the agent defined the public network (persistent): take it away again
            Libvirt.removeAgentNetwork(NETWORK);
        }
    }

    @Test
    void staticAndAutoAddressesByDhcpAndVlansThatOnlyTheirOwnGuestsReach() {
        String ip = object(http.post("/resources/ip/create", auth, "name web\n")).get("resource");
        String vlanX = object(http.post("/resources/vlan/create", auth, "name x\n")).get("resource");
        String vlanY = object(http.post("/resources/vlan/create", auth, "name y\n")).get("resource");
        String macA = "52:54:00:" + TAG.substring(0, 2) + ":" + TAG.substring(2, 4) + ":01";
        String macB = macA.substring(0, 15) + "02";
        String macC = macA.substring(0, 15) + "03";

        String a = start("a", "nic:0:dhcp " + ip + "\nnic:1:vlan " + vlanX, macA, PRIVATE + "1", PRIVATE + "2", PRIVATE + "3");
        String b = start("b", "nic:0:dhcp auto\nnic:1:vlan " + vlanX, macB, PRIVATE + "2", PRIVATE + "1");
        String c = start("c", "nic:1:vlan " + vlanY, macC, PRIVATE + "3", PRIVATE + "1");

        String consoleA = awaitPings(a, 2);
        String consoleB = awaitPings(b, 1);
        String consoleC = awaitPings(c, 1);

        // the static IP, by DHCP, and what info says
        assertThat(consoleA).containsPattern("DHCP name=eth[0-9] ip=" + ip.replace(".", "\\.") + "\\b");
        assertThat(info(a)).containsEntry("nic:0:dhcp:ip", ip);
        String auto = info(b).get("nic:0:dhcp:ip");
        assertThat(auto).startsWith("169.254." + SUBNET + ".").isNotEqualTo(ip);
        assertThat(consoleB).containsPattern("DHCP name=eth[0-9] ip=" + auto.replace(".", "\\.") + "\\b");
        assertThat(consoleC).as("nic:0:dhcp unset: offered nothing").containsPattern("DHCP name=eth[0-9] none");
        assertThat(info(c)).doesNotContainKey("nic:0:dhcp:ip");
        // the host entries, files the network's dnsmasq reads (dhcp-hostsdir), one per MAC
        assertThat(Libvirt.hostEntries(NETWORK)).anyMatch(e -> e.endsWith("," + ip)).anyMatch(e -> e.endsWith("," + auto))
                .hasSize(2);

        // one VLAN's guests reach each other; the other VLAN's guest reaches no one
        assertThat(consoleA).contains("PING peer=" + PRIVATE + "2 ok").contains("PING peer=" + PRIVATE + "3 none");
        assertThat(consoleB).contains("PING peer=" + PRIVATE + "1 ok");
        assertThat(consoleC).contains("PING peer=" + PRIVATE + "1 none");

        // stopped, they hold no address: host entries and temporary addresses are gone
        for (String server : List.of(a, b, c)) {
            assertThat(http.post("/servers/" + server + "/stop", auth, "").status()).isEqualTo(204);
        }
        // the host entries go right after the stops answered
        Wait.until("the host entries gone", Duration.ofSeconds(30), () -> Libvirt.hostEntries(NETWORK).isEmpty(),
                () -> String.join("\n", Libvirt.hostEntries(NETWORK)));
        assertThat(info(a)).doesNotContainKey("nic:0:dhcp:ip").containsEntry("nic:0:dhcp", ip);
        for (String server : List.of(a, b, c)) {
            assertThat(http.post("/servers/" + server + "/destroy", auth, "").status()).isEqualTo(204);
        }
    }

    /** Creates and starts a persistent server booting the test guest, told by a config disk what to do. */
    private static String start(String name, String network, String privateMac, String privateIp, String... peers) {
        String instructions = "ELASTIC-TEST-CONFIG\nPRIVATE_MAC=" + privateMac + "\nPRIVATE_IP=" + privateIp
                + "\nPRIVATE_MASK=255.255.255.0\nPING=" + String.join(" ", peers) + "\nPING_SECONDS=90\n";
        String config = object(http.post("/drives/create", auth, "name config " + name
                + "\nsize 1M\nencryption:cipher none\n")).get("drive");
        http.writeDrive(config, auth, instructions.getBytes(StandardCharsets.US_ASCII));
        Map<String, String> created = object(http.post("/servers/create", auth, "name " + name
                + "\ncpu 1000\nmem 256\npersistent true\nide:0:0 " + iso + "\nide:0:0:media cdrom\nblock:0 " + config
                + "\nboot ide:0:0\nnic:0:model e1000\nnic:1:model virtio\nnic:1:mac " + privateMac + "\n" + network + "\n"));
        assertThat(created).containsEntry("status", "active");
        return created.get("server");
    }

    private static String awaitPings(String server, int peers) {
        return Libvirt.awaitConsole(system, server, "PING peer=", peers, BOOT);
    }

    private static Map<String, String> info(String server) {
        return object(http.get("/servers/" + server + "/info", auth));
    }

    private static Map<String, String> object(PlainHttp.Reply reply) {
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        return PlainHttp.parseObject(reply.text());
    }
}
