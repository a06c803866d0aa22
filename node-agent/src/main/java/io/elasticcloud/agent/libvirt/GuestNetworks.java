package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.libvirt.DhcpHosts.Entry;
import io.elasticcloud.agent.network.HostNetwork;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a guest's NICs need on the host besides the domain: a DHCP host entry MAC → IP in its
 * network for each NIC with a {@code dhcpIp}, and its VLAN's bridge (with VXLAN) for each NIC on a
 * VLAN. {@link #attach} makes them before the domain starts; {@link #reconcile} removes whatever no
 * running guest holds any longer, after every stop and at recovery, so the host converges on the
 * guests that really run (read from their domains' metadata) whatever stopped them, agent restarts
 * included. The agent owns the host entries of the networks its guests get addresses on, and the
 * VLAN bridges: after the first look at the host's bridges (at recovery), they are listed again
 * only while a running guest wants one or one is known to be there.
 *
 * <p>Not thread-safe: the hypervisor calls it under its start lock.
 */
final class GuestNetworks {
    private static final Logger log = LoggerFactory.getLogger(GuestNetworks.class);

    private final DhcpHosts dhcp;
    private final HostNetwork host;
    private final Set<String> dhcpNetworks = ConcurrentHashMap.newKeySet();
    /** VNIs whose bridges the host had at the last look or got since; {@link #reconcile} lists none while empty. */
    private final Set<Integer> knownVlans = new HashSet<>();
    private boolean vlansListed;

    /**
     * @param host           the VLANs' bridges, null where VLANs are not available
     * @param publicNetwork  the agent's public network (its host entries are reconciled even when
     *                       no guest has used it since the start), null for none
     */
    GuestNetworks(DhcpHosts dhcp, HostNetwork host, String publicNetwork) {
        this.dhcp = dhcp;
        this.host = host;
        if (publicNetwork != null) {
            dhcpNetworks.add(publicNetwork);
        }
    }

    /**
     * Makes what {@code spec}'s NICs need, given the guests that run now.
     *
     * @throws ElasticException {@code busy} when a running guest holds the address (or the MAC on
     *                          the VLAN), {@code failed} when the host refuses
     */
    void attach(GuestSpec spec, List<DomainMetadata> running) {
        for (NicSpec nic : spec.nics() == null ? List.<NicSpec>of() : spec.nics()) {
            if (nic.vlan() != null) {
                if (host == null) {
                    throw ElasticException.failed("nic:%d: VLANs are not available on this host", nic.index());
                }
                for (DomainMetadata other : running) {
                    if (!other.server().equals(spec.server()) && other.nics().stream()
                            .anyMatch(n -> n.vni() == nic.vlan().vni() && n.mac().equals(nic.mac()))) {
                        throw ElasticException.busy("nic:%d: MAC %s is in use on VLAN %s by server %s", nic.index(),
                                nic.mac(), nic.vlan().id(), other.server());
                    }
                }
                host.addVlan(nic.vlan().vni());
                knownVlans.add(nic.vlan().vni());
            }
            if (nic.dhcpIp() != null) {
                hostEntry(spec.server(), nic, running);
            } else if (nic.vlan() == null) {
                noHostEntry(spec.server(), nic, running);
            }
        }
    }

    /** A NIC offered nothing: no entry left over for its MAC (normally gone at the last stop) may offer it an address. */
    private void noHostEntry(String server, NicSpec nic, List<DomainMetadata> running) {
        for (Entry entry : dhcp.entries(nic.network())) {
            if (entry.mac().equals(nic.mac())) {
                for (DomainMetadata other : running) {
                    if (!other.server().equals(server) && holds(other, nic.network(), entry)) {
                        throw heldByAnother(server, nic, "MAC " + nic.mac(), other);
                    }
                }
                dhcp.remove(nic.network(), entry);
            }
        }
    }

    /**
     * {@code busy}: what the NIC needs is held by a guest still running here (an address given
     * back while its last holder has not stopped yet). The customer's answer names neither that
     * guest, maybe another customer's, nor the host's network; the operator's log does.
     */
    private static ElasticException heldByAnother(String server, NicSpec nic, String what, DomainMetadata other) {
        log.info("server {} nic:{}: {} is held by server {} on network {}", server, nic.index(), what, other.server(),
                nic.network());
        return ElasticException.busy("nic:%d: %s is still held by another guest on this host; try again shortly",
                nic.index(), what);
    }

    private void hostEntry(String server, NicSpec nic, List<DomainMetadata> running) {
        String network = nic.network();
        Entry wanted = new Entry(nic.mac(), nic.dhcpIp());
        dhcpNetworks.add(network);
        List<Entry> entries = dhcp.entries(network);
        if (entries.contains(wanted)) {
            return;
        }
        for (Entry entry : entries) {
            if (!entry.mac().equals(wanted.mac()) && !entry.ip().equals(wanted.ip())) {
                continue;
            }
            for (DomainMetadata other : running) {
                if (!other.server().equals(server) && holds(other, network, entry)) {
                    throw heldByAnother(server, nic, "address " + wanted.ip() + " or MAC " + wanted.mac(), other);
                }
            }
            dhcp.remove(network, entry);
        }
        dhcp.add(network, wanted);
    }

    /**
     * Removes the host entries and VLAN bridges no guest in {@code running} holds, and puts back
     * those a running guest holds but the host lost; logs what it cannot.
     */
    void reconcile(List<DomainMetadata> running) {
        Set<String> networks = new LinkedHashSet<>(dhcpNetworks);
        Set<Integer> vnis = new HashSet<>();
        for (DomainMetadata guest : running) {
            for (DomainMetadata.Nic nic : guest.nics()) {
                if (nic.dhcpIp() != null && nic.network() != null) {
                    networks.add(nic.network());
                }
                if (nic.vni() > 0) {
                    vnis.add(nic.vni());
                }
            }
        }
        dhcpNetworks.addAll(networks);
        for (String network : networks) {
            try {
                List<Entry> entries = dhcp.entries(network);
                for (Entry entry : entries) {
                    if (running.stream().noneMatch(g -> holds(g, network, entry))) {
                        dhcp.remove(network, entry);
                    }
                }
                for (DomainMetadata guest : running) {
                    for (DomainMetadata.Nic nic : guest.nics()) {
                        Entry held = new Entry(nic.mac(), nic.dhcpIp());
                        if (network.equals(nic.network()) && nic.dhcpIp() != null && !entries.contains(held)) {
                            log.warn("network {}: host entry {} -> {} of running server {} was missing", network,
                                    held.mac(), held.ip(), guest.server());
                            dhcp.add(network, held);
                        }
                    }
                }
            } catch (RuntimeException e) {
                log.warn("network {}: host entries not reconciled: {}", network, e.getMessage());
            }
        }
        if (host == null || vlansListed && vnis.isEmpty() && knownVlans.isEmpty()) {
            // no VLAN wanted nor known since the first look: the host is not asked (a process) at every stop
            return;
        }
        try {
            Set<Integer> present = host.vlans();
            vlansListed = true;
            knownVlans.addAll(present);
            for (int vni : present) {
                if (!vnis.contains(vni) && host.removeVlan(vni)) {
                    knownVlans.remove(vni);
                }
            }
            for (int vni : vnis) {
                if (!present.contains(vni)) {
                    log.warn("VLAN {} of running guests had no bridge", vni);
                    host.addVlan(vni);
                    knownVlans.add(vni);
                }
            }
        } catch (RuntimeException e) {
            log.warn("VLAN bridges not reconciled: {}", e.getMessage());
        }
    }

    private static boolean holds(DomainMetadata guest, String network, Entry entry) {
        return guest.nics().stream().anyMatch(n -> network.equals(n.network()) && entry.mac().equals(n.mac())
                && entry.ip().equals(n.dhcpIp()));
    }
}
