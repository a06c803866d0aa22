package io.elasticcloud.api.resource;

import io.elasticcloud.codec.Ipv4;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * One pool of public addresses as the operator configured it, checked: the subnet, what guests are
 * told (netmask, gateway, nameserver), the addresses handed out ({@code first..last} less the
 * reserved ones, the gateway and the nameserver) and where the hosts serve their VNC consoles.
 */
public final class IpPool {
    private final String name;
    private final Ipv4 network;
    private final int prefix;
    private final Ipv4 gateway;
    private final Ipv4 nameserver;
    private final Ipv4 first;
    private final Ipv4 last;
    private final Set<Ipv4> kept;
    private final Ipv4 vncListenBase;

    private IpPool(String name, Ipv4 network, int prefix, Ipv4 gateway, Ipv4 nameserver, Ipv4 first, Ipv4 last,
                   Set<Ipv4> kept, Ipv4 vncListenBase) {
        this.name = name;
        this.network = network;
        this.prefix = prefix;
        this.gateway = gateway;
        this.nameserver = nameserver;
        this.first = first;
        this.last = last;
        this.kept = kept;
        this.vncListenBase = vncListenBase;
    }

    /** The pool of {@code config}; {@link IllegalArgumentException} naming what is wrong. */
    static IpPool of(NetworkProperties.Pool config) {
        String name = config.name();
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("elastic.network.pools: name '" + name
                    + "' must be 1 to 64 letters, digits or _.-");
        }
        String where = "elastic.network.pools[" + name + "]";
        String cidr = config.cidr() == null ? "" : config.cidr().strip();
        int slash = cidr.indexOf('/');
        if (slash < 0 || !cidr.substring(slash + 1).matches("[0-9]{1,2}")) {
            throw new IllegalArgumentException(where + ".cidr: '" + cidr + "' is not a subnet (a.b.c.d/N)");
        }
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException(where + ".cidr: the prefix must be 8 to 30, not " + prefix);
        }
        Ipv4 network = Ipv4.of(where + ".cidr", cidr.substring(0, slash));
        long size = 1L << (32 - prefix);
        if (network.value() % size != 0) {
            throw new IllegalArgumentException(where + ".cidr: " + network + " is not the first address of a /" + prefix);
        }
        Ipv4 broadcast = network.plus(size - 1);
        Ipv4 gateway = config.gateway() == null ? network.plus(1) : Ipv4.of(where + ".gateway", config.gateway());
        Ipv4 nameserver = config.nameserver() == null ? gateway : Ipv4.of(where + ".nameserver", config.nameserver());
        Ipv4 first = config.first() == null ? network.plus(1) : Ipv4.of(where + ".first", config.first());
        Ipv4 last = config.last() == null ? broadcast.plus(-1) : Ipv4.of(where + ".last", config.last());
        if (!inside(gateway, network, broadcast)) {
            throw new IllegalArgumentException(where + ".gateway: " + gateway + " is not in " + cidr);
        }
        if (!inside(first, network, broadcast) || !inside(last, network, broadcast) || first.compareTo(last) > 0) {
            throw new IllegalArgumentException(where + ": first " + first + " and last " + last
                    + " must be host addresses of " + cidr + ", in order");
        }
        Set<Ipv4> kept = new TreeSet<>();
        kept.add(gateway);
        kept.add(nameserver);
        for (String entry : config.reserved()) {
            String[] ends = entry.strip().split("-", 2);
            Ipv4 from = Ipv4.of(where + ".reserved", ends[0]);
            Ipv4 to = ends.length == 1 ? from : Ipv4.of(where + ".reserved", ends[1]);
            if (to.compareTo(from) < 0 || to.value() - from.value() > size) {
                throw new IllegalArgumentException(where + ".reserved: '" + entry + "' is not a range in order");
            }
            for (long a = from.value(); a <= to.value(); a++) {
                kept.add(new Ipv4(a));
            }
        }
        Ipv4 vnc = null;
        if (config.vncListenBase() != null && !config.vncListenBase().isBlank()) {
            vnc = Ipv4.of(where + ".vnc-listen-base", config.vncListenBase());
            if (vnc.value() % size != 0) {
                throw new IllegalArgumentException(where + ".vnc-listen-base: " + vnc
                        + " must start a subnet of the pool's size (/" + prefix + ")");
            }
        }
        return new IpPool(name, network, prefix, gateway, nameserver, first, last, Set.copyOf(kept), vnc);
    }

    private static boolean inside(Ipv4 a, Ipv4 network, Ipv4 broadcast) {
        return a.compareTo(network) > 0 && a.compareTo(broadcast) < 0;
    }

    public String name() {
        return name;
    }

    public String cidr() {
        return network + "/" + prefix;
    }

    public String netmask() {
        return Ipv4.netmask(prefix).toString();
    }

    public String gateway() {
        return gateway.toString();
    }

    public String nameserver() {
        return nameserver.toString();
    }

    /** Whether {@code address} is in this pool's subnet. */
    boolean contains(Ipv4 address) {
        return address.value() >> (32 - prefix) == network.value() >> (32 - prefix);
    }

    /** Whether two pools' subnets overlap. */
    boolean overlaps(IpPool other) {
        return contains(other.network) || other.contains(network);
    }

    /**
     * One of {@code first..last} at random: the address, or empty when it fell on one this pool
     * keeps back (gateway, nameserver, {@code reserved}).
     */
    Optional<Ipv4> anyAddress(RandomGenerator random) {
        Ipv4 address = first.plus(random.nextLong(last.value() - first.value() + 1));
        return kept.contains(address) ? Optional.empty() : Optional.of(address);
    }

    /** The addresses this pool hands out, in order. */
    List<Ipv4> addresses() {
        List<Ipv4> addresses = new ArrayList<>();
        for (long a = first.value(); a <= last.value(); a++) {
            Ipv4 address = new Ipv4(a);
            if (!kept.contains(address)) {
                addresses.add(address);
            }
        }
        return addresses;
    }

    /** How many addresses this pool hands out. */
    int size() {
        return (int) (last.value() - first.value() + 1
                - kept.stream().filter(a -> a.compareTo(first) >= 0 && a.compareTo(last) <= 0).count());
    }

    /** Where a host serves the VNC console of {@code address} (in this pool). */
    String vncListen(Ipv4 address) {
        if (vncListenBase == null) {
            return address.toString();
        }
        return vncListenBase.plus(address.value() - network.value()).toString();
    }

    String range() {
        return first + "-" + last;
    }

    String vncListenBase() {
        return vncListenBase == null ? null : vncListenBase.toString();
    }
}
