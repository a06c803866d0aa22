package io.elasticcloud.api.resource;

import io.elasticcloud.api.common.AdminPage;
import io.elasticcloud.protocol.ElasticException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/ippools}, for admins: every pool as configured with its use ({@code GET}),
 * and one pool with each address taken from it and its holder ({@code GET /actuator/ippools/NAME}),
 * a page of addresses at a time ({@link AdminPage}).
 */
@Component
@Endpoint(id = "ippools")
public class IpPoolsEndpoint {
    private final IpPools pools;
    private final IpAddressRepository addresses;

    public IpPoolsEndpoint(IpPools pools, IpAddressRepository addresses) {
        this.pools = pools;
        this.addresses = addresses;
    }

    @ReadOperation
    public List<Map<String, Object>> list() {
        return pools.all().stream().map(this::view).toList();
    }

    @ReadOperation
    public Map<String, Object> show(@Selector String name, @Nullable Integer offset, @Nullable Integer limit) {
        IpPool pool = pools.all().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> ElasticException.missing("no IP pool %s", name));
        Map<String, Object> view = view(pool);
        view.put("addresses", addresses.findByPoolOrderByAddressAsc(pool.name(),
                AdminPage.of(offset, limit).pageable()).stream().map(a -> {
            Map<String, String> held = new LinkedHashMap<>();
            held.put("address", a.address());
            held.put("holder", a.server() == null ? "static" : "temporary");
            held.put("user", a.owner().toString());
            if (a.server() != null) {
                held.put("server", a.server().toString());
            }
            held.put("since", a.createdAt().toString());
            return held;
        }).toList());
        return view;
    }

    private Map<String, Object> view(IpPool pool) {
        long held = addresses.countStatic(pool.name());
        long temporary = addresses.countTemporary(pool.name());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("name", pool.name());
        view.put("cidr", pool.cidr());
        view.put("netmask", pool.netmask());
        view.put("gateway", pool.gateway());
        view.put("nameserver", pool.nameserver());
        view.put("range", pool.range());
        if (pool.vncListenBase() != null) {
            view.put("vncListenBase", pool.vncListenBase());
        }
        view.put("size", pool.size());
        view.put("static", held);
        view.put("temporary", temporary);
        view.put("free", Math.max(0, pool.size() - held - temporary));
        return view;
    }
}
