package io.elasticcloud.api.resource;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator's public IP pools ({@code elastic.network.*}); docs/configuration.md explains each.
 *
 * @param pools          the pools, in the order addresses are taken from them
 * @param vniMax         the highest VXLAN identifier VLANs get (1..16777215): the cloud's VLANs
 * @param vniQuarantine  how long a destroyed VLAN's VNI stays unused before another VLAN may get it
 */
@ConfigurationProperties("elastic.network")
public record NetworkProperties(@DefaultValue List<Pool> pools, @DefaultValue("16777215") int vniMax,
                                @DefaultValue("1h") Duration vniQuarantine) {

    /**
     * One pool of public addresses.
     *
     * @param name           its name (shown to the admin, kept with each address taken from it)
     * @param cidr           the subnet, {@code 169.254.10.0/24}
     * @param gateway        the guests' router; default the subnet's first address
     * @param nameserver     the guests' DNS server; default the gateway
     * @param first          the first address handed out; default the subnet's first (the gateway and
     *                       the nameserver are never handed out)
     * @param last           the last address handed out; default the subnet's last before broadcast
     * @param reserved       addresses in {@code first..last} kept back: {@code A} or {@code A-B}
     * @param vncListenBase  where the hosts serve the VNC consoles of this pool's addresses: the
     *                       address at offset N in the subnet listens at this base + N (a subnet of
     *                       the same size, for example {@code 127.10.0.0} for a /24, reachable on
     *                       the host only); unset, a console listens on the pool address itself
     */
    public record Pool(String name, String cidr, String gateway, String nameserver, String first, String last,
                       @DefaultValue List<String> reserved, String vncListenBase) {
    }
}
