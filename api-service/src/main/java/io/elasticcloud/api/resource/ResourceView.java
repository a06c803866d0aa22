package io.elasticcloud.api.resource;

import io.elasticcloud.api.common.UserKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A resource's info keys, in the order of section 4. */
final class ResourceView {
    private ResourceView() {
    }

    /** @param pool the pool of an IP (absent for a VLAN, or for an address of a pool no longer configured) */
    static Map<String, String> info(OwnedResource resource, Optional<IpPool> pool) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("name", resource.name());
        info.put("type", resource.type().apiName());
        info.put("resource", resource.resource());
        info.put("user", resource.owner().toString());
        pool.ifPresent(p -> {
            info.put("netmask", p.netmask());
            info.put("gateway", p.gateway());
            info.put("nameserver", p.nameserver());
        });
        info.put("tags", resource.tags());
        UserKeys.parse(resource.userKeys()).forEach((k, v) -> info.put("user:" + k, v));
        return info;
    }
}
