package io.elasticcloud.api.resource;

import io.elasticcloud.codec.Ipv4;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The configured pools, checked at start: valid each, no two overlapping, names unique. */
@Component
public class IpPools {
    private final List<IpPool> pools;

    public IpPools(NetworkProperties properties) {
        List<IpPool> checked = new ArrayList<>();
        for (NetworkProperties.Pool config : properties.pools()) {
            IpPool pool = IpPool.of(config);
            for (IpPool other : checked) {
                if (other.name().equals(pool.name())) {
                    throw new IllegalArgumentException("elastic.network.pools: two pools are named " + pool.name());
                }
                if (other.overlaps(pool)) {
                    throw new IllegalArgumentException("elastic.network.pools: " + pool.name() + " (" + pool.cidr()
                            + ") overlaps " + other.name() + " (" + other.cidr() + ")");
                }
            }
            checked.add(pool);
        }
        this.pools = List.copyOf(checked);
    }

    /** The pools in the order addresses are taken from them. */
    public List<IpPool> all() {
        return pools;
    }

    /** The pool whose subnet holds {@code address}. */
    public Optional<IpPool> of(String address) {
        return Ipv4.parse(address).flatMap(a -> pools.stream().filter(p -> p.contains(a)).findFirst());
    }

    /**
     * Where a host serves the VNC console of {@code address}: as its pool maps it, or the address
     * itself (also for an address of a pool no longer configured).
     */
    public String vncListen(String address) {
        Optional<Ipv4> ip = Ipv4.parse(address);
        return ip.flatMap(a -> pools.stream().filter(p -> p.contains(a)).findFirst())
                .map(p -> p.vncListen(ip.get()))
                .orElse(address);
    }
}
