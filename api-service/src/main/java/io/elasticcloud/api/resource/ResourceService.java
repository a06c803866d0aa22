package io.elasticcloud.api.resource;

import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.quota.Admission;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.codec.Ipv4;
import io.elasticcloud.protocol.ElasticException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The resource commands (section 4): a customer's static IPs and VLANs, listed, shown, created,
 * changed and destroyed. Another user's resource is reported as missing. A resource named by a
 * server's configuration cannot be destroyed ({@code busy}); its row is locked while that is
 * checked, as it is by a server naming it, so the two never cross.
 */
@Service
public class ResourceService {
    private final IpAddressRepository addresses;
    private final VlanRepository vlans;
    private final AddressAllocator allocator;
    private final VlanLifecycle vlanLifecycle;
    private final ResourceUsers users;
    private final TransactionTemplate tx;
    private final Admission admission;

    public ResourceService(IpAddressRepository addresses, VlanRepository vlans, AddressAllocator allocator,
                           VlanLifecycle vlanLifecycle, ResourceUsers users, TransactionTemplate tx,
                           Admission admission) {
        this.addresses = addresses;
        this.vlans = vlans;
        this.allocator = allocator;
        this.vlanLifecycle = vlanLifecycle;
        this.users = users;
        this.tx = tx;
        this.admission = admission;
    }

    /** The user's resources of {@code type} (all types when empty): IPs first, then VLANs. */
    public List<OwnedResource> list(UUID user, Optional<ResourceType> type) {
        List<OwnedResource> list = new ArrayList<>();
        if (type.isEmpty() || type.get() == ResourceType.IP) {
            list.addAll(addresses.findByOwnerAndServerIsNullOrderByCreatedAtAscAddressAsc(user));
        }
        if (type.isEmpty() || type.get() == ResourceType.VLAN) {
            list.addAll(vlans.findByOwnerOrderByCreatedAtAscIdAsc(user));
        }
        return list;
    }

    public Map<String, String> info(OwnedResource resource) {
        return ResourceView.info(resource, resource instanceof IpAddress ip ? allocator.poolOf(ip.address()) : Optional.empty());
    }

    /** The user's resource named {@code resource} in the API; any other is missing. */
    public OwnedResource owned(UUID user, ResourceType type, String resource) {
        return switch (type) {
            case IP -> Ipv4.parse(resource).flatMap(a -> addresses.findById(a.toString()))
                    .filter(a -> a.server() == null && a.owner().equals(user))
                    .orElseThrow(() -> missing(type, resource));
            case VLAN -> KeyRules.parseUuid(resource).flatMap(vlans::findById)
                    .filter(v -> v.owner().equals(user))
                    .orElseThrow(() -> missing(type, resource));
        };
    }

    /**
     * Creates a static IP ({@code full} when the pools are empty) or a VLAN. Quotas and billing
     * (section 5; {@link Admission}) check that the account may hold one more of it in the
     * transaction that records it, locking the account's row there, so that a {@code 402} changes
     * nothing and parallel creates of one account are checked one after the other.
     */
    public OwnedResource create(UUID user, ResourceType type, Map<String, String> keys) {
        ResourceRequest request = ResourceRequest.parse(keys);
        return switch (type) {
            case IP -> allocator.allocateStatic(user, request, () -> admission.newIp(user));
            case VLAN -> vlanLifecycle.create(user, request);
        };
    }

    public OwnedResource set(UUID user, ResourceType type, String resource, Map<String, String> keys) {
        ResourceRequest request = ResourceRequest.parse(keys);
        return tx.execute(status -> {
            OwnedResource owned = owned(user, type, resource);
            owned.apply(request);
            return owned instanceof IpAddress ip ? addresses.save(ip) : vlans.save((Vlan) owned);
        });
    }

    /** Destroys the resource; {@code busy} while a server's configuration names it. */
    public void destroy(UUID user, ResourceType type, String resource) {
        tx.executeWithoutResult(status -> {
            OwnedResource locked = switch (type) {
                case IP -> lockedIp(user, resource).orElseThrow(() -> missing(type, resource));
                case VLAN -> lockedVlan(user, resource).orElseThrow(() -> missing(type, resource));
            };
            users.serverUsing(user, type, locked.resource()).ifPresent(server -> {
                throw ElasticException.busy("%s %s is used by %s", type.apiName(), locked.resource(), server);
            });
            if (locked instanceof IpAddress ip) {
                addresses.delete(ip);
            } else {
                vlanLifecycle.destroy((Vlan) locked);
            }
        });
    }

    /**
     * The user's static IP {@code address}, its row locked until the caller's transaction ends (a
     * server naming it holds the lock while it checks and saves, so no destroy slips between).
     */
    public Optional<IpAddress> lockedIp(UUID user, String address) {
        return Ipv4.parse(address).flatMap(a -> addresses.lock(a.toString()))
                .filter(a -> a.server() == null && a.owner().equals(user));
    }

    /** The user's VLAN, its row locked until the caller's transaction ends. */
    public Optional<Vlan> lockedVlan(UUID user, String id) {
        return KeyRules.parseUuid(id).flatMap(vlans::lock).filter(v -> v.owner().equals(user));
    }

    /** A VLAN, whoever owns it. */
    public Optional<Vlan> vlan(UUID id) {
        return vlans.findById(id);
    }

    private static ElasticException missing(ResourceType type, String resource) {
        return ElasticException.missing("no %s resource %s", type.apiName(), ApiText.quote(resource));
    }
}
