package io.elasticcloud.agent.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** An in-memory {@link HostNetwork} for tests: remembers the VLANs and peers it was given and what was done. */
public final class FakeHostNetwork implements HostNetwork {
    private final String tunnelAddress;
    private final Set<Integer> vlans = new TreeSet<>();
    private final Set<String> peers = new TreeSet<>();
    private final List<String> log = new ArrayList<>();
    private int listings;

    public FakeHostNetwork(String tunnelAddress) {
        this.tunnelAddress = tunnelAddress;
    }

    @Override
    public synchronized void addVlan(int vni) {
        HostNetwork.bridge(vni);
        if (vlans.add(vni)) {
            log.add("add " + vni);
        }
    }

    @Override
    public synchronized boolean removeVlan(int vni) {
        if (vlans.remove(vni)) {
            log.add("remove " + vni);
        }
        return true;
    }

    @Override
    public synchronized Set<Integer> vlans() {
        listings++;
        return Set.copyOf(vlans);
    }

    @Override
    public synchronized void setPeers(Set<String> addresses) {
        peers.clear();
        addresses.stream().filter(a -> a != null && !a.equals(tunnelAddress)).forEach(peers::add);
    }

    @Override
    public synchronized Set<String> peers() {
        return Set.copyOf(peers);
    }

    @Override
    public String tunnelAddress() {
        return tunnelAddress;
    }

    /** How many times {@link #vlans} was asked (each a process on a real host). */
    public synchronized int listings() {
        return listings;
    }

    /** What was added and removed, in order ({@code add N}, {@code remove N}). */
    public synchronized List<String> history() {
        return List.copyOf(log);
    }
}
