package io.elasticcloud.api.resource;

import io.elasticcloud.api.billing.HeldResources;
import io.elasticcloud.api.billing.Usage;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * For billing: an account holds each static IP and each VLAN from create to destroy. The
 * temporary addresses of running servers are part of what a server is, not resources of their own.
 */
@Component
class ResourceHoldings implements HeldResources {
    private final IpAddressRepository addresses;
    private final VlanRepository vlans;

    ResourceHoldings(IpAddressRepository addresses, VlanRepository vlans) {
        this.addresses = addresses;
        this.vlans = vlans;
    }

    @Override
    public Usage heldBy(UUID account) {
        return Usage.ips(addresses.countStaticOf(account)).plus(Usage.vlans(vlans.countByOwner(account)));
    }

    @Override
    public boolean holdsAnyOf(Usage kinds) {
        return kinds.ips() > 0 || kinds.vlans() > 0;
    }

    @Override
    public Map<UUID, Usage> heldByAccount() {
        Map<UUID, Usage> held = new HashMap<>();
        for (ResourceCountOfOwner row : addresses.countStaticByOwner()) {
            held.merge(row.owner(), Usage.ips(row.count()), Usage::plus);
        }
        for (ResourceCountOfOwner row : vlans.countByOwnerGrouped()) {
            held.merge(row.owner(), Usage.vlans(row.count()), Usage::plus);
        }
        return held;
    }
}
