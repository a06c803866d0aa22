package io.elasticcloud.agent.network;

import io.elasticcloud.protocol.Events.AgentHeartbeat;
import io.elasticcloud.protocol.Events.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the other hosts' tunnel addresses from their agents' heartbeats on the bus ({@link
 * io.elasticcloud.protocol.agent.HostInfo#tunnelAddress()}) and keeps the {@link HostNetwork}'s
 * flood list equal to them. A host whose heartbeat has not been heard for {@code expiry} is dropped,
 * so a VLAN floods to the hosts that run now. This needs no configuration of peers: an agent with a
 * tunnel address joins the mesh with its first heartbeat, every other agent floods to it within one
 * heartbeat interval.
 */
public final class TunnelPeers {
    private static final Logger log = LoggerFactory.getLogger(TunnelPeers.class);

    private final String self;
    private final HostNetwork network;
    private final Duration expiry;
    private final Map<String, Heard> byNode = new HashMap<>();

    private record Heard(String address, Instant at) {
    }

    /**
     * @param self   this agent's node name: its own heartbeats are not a peer
     * @param expiry how long a peer stays without a heartbeat
     */
    public TunnelPeers(String self, HostNetwork network, Duration expiry) {
        this.self = self;
        this.network = network;
        this.expiry = expiry;
    }

    /** Takes note of an event from the bus; only other agents' heartbeats matter. */
    public void onEvent(Event event) {
        if (event instanceof AgentHeartbeat beat && beat.host() != null && !self.equals(beat.host().node())) {
            // the time of receipt, not the sender's clock: hosts' clocks may differ
            heard(beat.host().node(), beat.host().tunnelAddress(), Instant.now());
        }
    }

    /** {@code node} was heard with {@code address} (null: it has none) at {@code at}. */
    public synchronized void heard(String node, String address, Instant at) {
        if (address == null || !HostNetwork.IPV4.matcher(address).matches()) {
            if (byNode.remove(node) != null) {
                apply();
            }
            return;
        }
        Heard before = byNode.put(node, new Heard(address, at));
        if (before == null || !before.address().equals(address)) {
            log.info("tunnel peer {} at {}", node, address);
            apply();
        }
    }

    /**
     * Drops the peers not heard from since {@code now - expiry}, and applies the peers again if the
     * host network does not have them (a failed earlier attempt).
     */
    public synchronized void expire(Instant now) {
        Instant limit = now.minus(expiry);
        boolean dropped = byNode.entrySet().removeIf(e -> e.getValue().at().isBefore(limit));
        Set<String> wanted = addresses();
        wanted.remove(network.tunnelAddress());
        if (dropped || !network.peers().equals(wanted)) {
            apply();
        }
    }

    public synchronized Set<String> addresses() {
        Set<String> addresses = new TreeSet<>();
        byNode.values().forEach(h -> addresses.add(h.address()));
        return addresses;
    }

    private void apply() {
        try {
            network.setPeers(addresses());
        } catch (RuntimeException e) {
            log.warn("VXLAN peers not applied (again at the next change): {}", e.getMessage());
        }
    }
}
