package io.elasticcloud.api.resource;

import java.util.Optional;

/** The two kinds of resource: a static public IP (named by its address) and a VLAN (by UUID). */
public enum ResourceType {
    IP("ip"),
    VLAN("vlan");

    private final String apiName;

    ResourceType(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static Optional<ResourceType> fromApiName(String name) {
        for (ResourceType type : values()) {
            if (type.apiName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
