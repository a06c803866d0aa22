package io.elasticcloud.agent.network;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host side of customer VLANs: one Linux bridge per VLAN ({@link #bridge}), joined to the same
 * VLAN's bridges on the other hosts by a VXLAN device ({@link #vxlan}, VNI = the VLAN's, UDP port
 * {@value #VXLAN_PORT}) that floods broadcast and unknown frames to every peer's tunnel address
 * (head-end replication) and learns the rest. No 802.1q devices, no VLAN filtering: a VLAN is
 * isolated because its frames only ever meet its own bridge and its own VNI.
 *
 * <p>Two implementations: {@link IpHostNetwork} (real: {@code ip} and {@code bridge} commands) and
 * {@link FakeHostNetwork} (tests). Callers serialize changes with guest starts and stops; the
 * implementations are safe to call from several threads anyway.
 */
public interface HostNetwork {
    /** VXLAN's IANA port. */
    int VXLAN_PORT = 4789;
    int MAX_VNI = 16_777_215;
    Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    Pattern BRIDGE_NAME = Pattern.compile("evl([0-9a-f]{6})");

    /** VLAN {@code vni}'s bridge: {@code evl} and the VNI in six hex digits (9 of the 15 characters Linux allows). */
    static String bridge(int vni) {
        return "evl" + hex(vni);
    }

    /** VLAN {@code vni}'s VXLAN device: {@code evx} and the VNI in six hex digits. */
    static String vxlan(int vni) {
        return "evx" + hex(vni);
    }

    /** The VNI of a bridge named by {@link #bridge}, or -1 for any other name. */
    static int vniOf(String bridgeName) {
        var m = BRIDGE_NAME.matcher(bridgeName);
        return m.matches() ? Integer.parseInt(m.group(1), 16) : -1;
    }

    private static String hex(int vni) {
        if (vni < 1 || vni > MAX_VNI) {
            throw new IllegalArgumentException("VNI " + vni + " is outside 1-" + MAX_VNI);
        }
        return String.format(Locale.ROOT, "%06x", vni);
    }

    /**
     * Makes VLAN {@code vni}'s bridge exist and be up, with its VXLAN device attached and flooding to
     * the current peers when this host has a tunnel address. Idempotent: completes what exists.
     *
     * @throws io.elasticcloud.protocol.ElasticException {@code failed} when the host refuses
     */
    void addVlan(int vni);

    /**
     * Removes VLAN {@code vni}'s VXLAN device and bridge (nothing if they do not exist), unless a
     * port other than that VXLAN device is still on the bridge.
     *
     * @return whether they are gone
     */
    boolean removeVlan(int vni);

    /** The VNIs whose bridges exist on this host. */
    Set<Integer> vlans();

    /** Replaces the tunnel addresses every VXLAN device floods to (this host's own is ignored). */
    void setPeers(Set<String> peers);

    /** The tunnel addresses VXLAN devices flood to. */
    Set<String> peers();

    /** This host's tunnel address (the VXLAN underlay's local address), or null: VLANs stay on this host. */
    String tunnelAddress();
}
