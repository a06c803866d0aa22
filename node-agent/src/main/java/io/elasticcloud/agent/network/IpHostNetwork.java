package io.elasticcloud.agent.network;

import io.elasticcloud.protocol.ElasticException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link HostNetwork}: iproute2's {@code ip} and {@code bridge} commands through a {@link
 * CommandRunner} (on this host, or inside a network namespace in tests).
 *
 * <p>What it creates for VNI N (hex {@code XXXXXX}):
 * <pre>
 * ip link add name evlXXXXXX type bridge            # the VLAN's bridge; guests' taps join it
 * ip link set dev evlXXXXXX addrgenmode none up     # no IPv6 link-local address: the host says nothing on a customer's VLAN
 * ip link add name evxXXXXXX type vxlan id N local TUNNEL dstport 4789
 * ip link set dev evxXXXXXX master evlXXXXXX addrgenmode none up
 * bridge fdb append 00:00:00:00:00:00 dev evxXXXXXX dst PEER   # one per peer: head-end replication
 * </pre>
 * The VXLAN device learns remote MACs from what it receives (learning is on), so only broadcast
 * and unknown frames go to every peer. Without a tunnel address there is no VXLAN device.
 */
public final class IpHostNetwork implements HostNetwork {
    private static final Logger log = LoggerFactory.getLogger(IpHostNetwork.class);
    private static final String FLOOD = "00:00:00:00:00:00";

    private final CommandRunner runner;
    private final String tunnelAddress;
    private final Set<String> peers = new TreeSet<>();

    /**
     * @param tunnelAddress this host's address on the underlay between hosts (IPv4), or null for none
     */
    public IpHostNetwork(CommandRunner runner, String tunnelAddress) {
        if (tunnelAddress != null && !IPV4.matcher(tunnelAddress).matches()) {
            throw new IllegalArgumentException("tunnel address '" + tunnelAddress + "' is not an IPv4 address");
        }
        this.runner = runner;
        this.tunnelAddress = tunnelAddress;
    }

    @Override
    public String tunnelAddress() {
        return tunnelAddress;
    }

    @Override
    public synchronized void addVlan(int vni) {
        String bridge = HostNetwork.bridge(vni);
        if (!exists(bridge)) {
            check("ip", "link", "add", "name", bridge, "type", "bridge");
            log.info("VLAN {}: bridge {} created", vni, bridge);
        }
        check("ip", "link", "set", "dev", bridge, "addrgenmode", "none", "up");
        if (tunnelAddress == null) {
            return;
        }
        String vxlan = HostNetwork.vxlan(vni);
        if (!exists(vxlan)) {
            check("ip", "link", "add", "name", vxlan, "type", "vxlan", "id", Integer.toString(vni),
                    "local", tunnelAddress, "dstport", Integer.toString(VXLAN_PORT));
            log.info("VLAN {}: VXLAN device {} from {} created", vni, vxlan, tunnelAddress);
        }
        check("ip", "link", "set", "dev", vxlan, "master", bridge, "addrgenmode", "none", "up");
        flood(vxlan, peers);
    }

    /**
     * Removes the bridge and its VXLAN device, unless a port other than that device is still on
     * the bridge: a guest's tap there is a guest that runs (of another process on this host, or
     * one this agent does not know yet), and removing the bridge would cut it off its VLAN.
     */
    @Override
    public synchronized boolean removeVlan(int vni) {
        String bridge = HostNetwork.bridge(vni);
        String vxlan = HostNetwork.vxlan(vni);
        if (exists(bridge)) {
            List<String> ports = ports(bridge).stream().filter(p -> !p.equals(vxlan)).toList();
            if (!ports.isEmpty()) {
                log.warn("VLAN {}: bridge {} kept: ports {} are still on it", vni, bridge, ports);
                return false;
            }
        }
        for (String device : List.of(vxlan, bridge)) {
            if (exists(device)) {
                check("ip", "link", "del", "dev", device);
            }
        }
        log.info("VLAN {}: bridge removed", vni);
        return true;
    }

    /** The names of the devices on {@code bridge}. */
    private List<String> ports(String bridge) {
        return linkNames("master", bridge);
    }

    /**
     * The names of the links {@code ip -o link show FILTER} lists, one a line: "12: evl00002a:
     * <BROADCAST,...> mtu 1500 ...", "14: evx00002a@NONE: ..." (the part after {@code @} dropped).
     */
    private List<String> linkNames(String... filter) {
        List<String> command = new ArrayList<>(List.of("ip", "-o", "link", "show"));
        command.addAll(List.of(filter));
        List<String> names = new ArrayList<>();
        for (String line : check(command.toArray(String[]::new)).lines().toList()) {
            String[] fields = line.split(":\\s+", 3);
            if (fields.length >= 2) {
                names.add(fields[1].split("@")[0].strip());
            }
        }
        return names;
    }

    @Override
    public synchronized Set<Integer> vlans() {
        Set<Integer> vnis = new TreeSet<>();
        for (String name : linkNames("type", "bridge")) {
            int vni = HostNetwork.vniOf(name);
            if (vni > 0) {
                vnis.add(vni);
            }
        }
        return vnis;
    }

    @Override
    public synchronized void setPeers(Set<String> addresses) {
        Set<String> wanted = new TreeSet<>();
        for (String address : addresses) {
            if (address != null && IPV4.matcher(address).matches() && !address.equals(tunnelAddress)) {
                wanted.add(address);
            } else if (address != null && !address.equals(tunnelAddress)) {
                log.warn("tunnel peer '{}' ignored: not an IPv4 address", address);
            }
        }
        if (wanted.equals(peers)) {
            return;
        }
        peers.clear();
        peers.addAll(wanted);
        log.info("VXLAN peers now {}", peers);
        if (tunnelAddress == null) {
            return;
        }
        for (int vni : vlans()) {
            String vxlan = HostNetwork.vxlan(vni);
            if (exists(vxlan)) {
                flood(vxlan, peers);
            }
        }
    }

    @Override
    public synchronized Set<String> peers() {
        return Set.copyOf(peers);
    }

    /**
     * Makes the flood entries of {@code vxlan} exactly {@code wanted}, and forgets the MACs it learned
     * behind a peer that is no longer one (their frames would go to a host that left).
     */
    private void flood(String vxlan, Set<String> wanted) {
        Set<String> present = new LinkedHashSet<>();
        List<List<String>> learned = new ArrayList<>();
        for (String line : check("bridge", "fdb", "show", "dev", vxlan).lines().toList()) {
            // "00:00:00:00:00:00 dst 169.254.250.2 self permanent", "52:54:00:..:..:.. dst 169.254.250.2 self"
            List<String> words = Arrays.asList(line.strip().split("\\s+"));
            int dst = words.indexOf("dst");
            if (words.isEmpty() || dst < 0 || dst + 1 >= words.size()) {
                continue;
            }
            if (words.get(0).equals(FLOOD)) {
                present.add(words.get(dst + 1));
            } else {
                learned.add(List.of(words.get(0), words.get(dst + 1)));
            }
        }
        for (String peer : wanted) {
            if (!present.contains(peer)) {
                check("bridge", "fdb", "append", FLOOD, "dev", vxlan, "dst", peer);
            }
        }
        for (String stale : present) {
            if (!wanted.contains(stale)) {
                check("bridge", "fdb", "del", FLOOD, "dev", vxlan, "dst", stale);
            }
        }
        for (List<String> entry : learned) {
            if (!wanted.contains(entry.get(1))) {
                // it may have aged out meanwhile: not an error
                runner.run(List.of("bridge", "fdb", "del", entry.get(0), "dev", vxlan, "dst", entry.get(1)));
            }
        }
    }

    private boolean exists(String device) {
        return runner.run(List.of("ip", "-o", "link", "show", "dev", device)).ok();
    }

    private String check(String... argv) {
        CommandRunner.Result result = runner.run(new ArrayList<>(List.of(argv)));
        if (!result.ok()) {
            throw ElasticException.failed("host network: '%s' failed (%d): %s", String.join(" ", argv),
                    result.exitCode(), result.error());
        }
        return result.output();
    }
}
