package io.elasticcloud.api.resource;

import java.util.Optional;
import java.util.UUID;

/**
 * Which server's configuration names a resource (its {@code nic:0:dhcp} or {@code vnc} for an
 * IP, its {@code nic:1:vlan} for a VLAN). Implemented by the servers, so that resources import
 * nothing of them.
 */
public interface ResourceUsers {
    /** The first such server, named as {@code viewer} may see it (its UUID to its owner only). */
    Optional<String> serverUsing(UUID viewer, ResourceType type, String resource);
}
