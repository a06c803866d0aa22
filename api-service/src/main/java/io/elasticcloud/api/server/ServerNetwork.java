package io.elasticcloud.api.server;

import io.elasticcloud.api.host.HostNodes;
import io.elasticcloud.api.resource.AddressAllocator;
import io.elasticcloud.api.resource.IpAddress;
import io.elasticcloud.api.resource.IpPools;
import io.elasticcloud.api.resource.ResourceService;
import io.elasticcloud.api.resource.ResourceType;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.GuestSpec.VlanSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A server's network: the resources its configuration names ({@code nic:0:dhcp} and {@code vnc}
 * as static IPs of its owner, {@code nic:1:vlan}), checked at create and set; the temporary
 * address {@code nic:0:dhcp auto} or {@code vnc auto} takes at each start and gives back when the
 * guest ends; and what the guest is given and info shows.
 *
 * <p>{@code vnc auto} is {@code nic:0:dhcp}'s address when there is one, else the temporary
 * address; so a server holds at most one temporary address.
 */
@Component
public class ServerNetwork {
    private static final Logger log = LoggerFactory.getLogger(ServerNetwork.class);
    static final String AUTO = "auto";

    private final ServerRepository servers;
    private final ResourceService resources;
    private final AddressAllocator allocator;
    private final IpPools pools;
    private final FormerAddresses formers;
    private final Clock clock;

    public ServerNetwork(ServerRepository servers, ResourceService resources, AddressAllocator allocator,
                         IpPools pools, FormerAddresses formers, Optional<Clock> clock) {
        this.servers = servers;
        this.formers = formers;
        this.resources = resources;
        this.allocator = allocator;
        this.pools = pools;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * What a started guest is given and info shows.
     *
     * @param dhcpIp    the address offered on nic 0, or null
     * @param vncIp     the console's address ({@code vnc:ip}), or null without VNC
     * @param vncListen where the host serves that console (the pool's mapping of {@code vncIp})
     * @param vlan      the VLAN of nic 1, or null
     */
    record Addresses(String dhcpIp, String vncIp, String vncListen, VlanSpec vlan) {
    }

    /**
     * Checks the resources a configuration names, in the caller's transaction: static IPs and the
     * VLAN must be the user's (else {@code usage}), a static IP used by no other server, and each
     * MAC by no other server on its network (else {@code busy}). The rows of the resources named
     * stay locked until the transaction ends, so a destroy of one, or another server naming it,
     * waits and then sees this one.
     */
    void check(UUID user, UUID id, ServerConfig config) {
        for (String key : new String[] {"nic:0:dhcp", "vnc"}) {
            String address = config.get(key);
            if (address == null || address.equals(AUTO)) {
                continue;
            }
            resources.lockedIp(user, address).orElseThrow(() ->
                    ElasticException.usage("%s: %s is not one of your static IP resources", key, address));
            servers.findUsingAddress(address).stream().filter(s -> !s.id().equals(id)).findFirst().ifPresent(s -> {
                throw ElasticException.busy("%s: IP %s is used by %s", key, address, s.namedFor(user));
            });
        }
        String vlan = config.get("nic:1:vlan");
        if (vlan != null) {
            resources.lockedVlan(user, vlan).orElseThrow(() ->
                    ElasticException.usage("nic:1:vlan: %s is not one of your VLAN resources", vlan));
            String mac = config.get("nic:1:mac");
            if (mac != null) {
                servers.findOnVlan(vlan).stream()
                        .filter(s -> !s.id().equals(id) && mac.equals(s.config().get("nic:1:mac")))
                        .findFirst().ifPresent(s -> {
                            throw ElasticException.busy("nic:1:mac: %s is used by %s on VLAN %s", mac, s.namedFor(user), vlan);
                        });
            }
        }
        String mac = config.get("nic:0:mac");
        if (mac != null) {
            servers.findByPublicMac(mac).stream().filter(s -> !s.id().equals(id)).findFirst().ifPresent(s -> {
                throw ElasticException.busy("nic:0:mac: %s is used by %s", mac, s.namedFor(user));
            });
        }
    }

    /**
     * The request with each {@code nic:0:dhcp} or {@code vnc} that names one of the server's own
     * former temporary addresses ({@link FormerAddresses}) as {@code auto}: clients send back the
     * address an info showed. One of the caller's static IPs stays itself; any other address is
     * left for {@link #check} to refuse.
     */
    ServerRequest withEchoes(UUID user, Server server, ServerRequest request) {
        ServerRequest result = request;
        for (String key : new String[] {"nic:0:dhcp", "vnc"}) {
            String address = request.changes().get(key);
            if (address != null && !address.isEmpty() && !address.equals(AUTO)
                    && resources.lockedIp(user, address).isEmpty() && formers.heldBy(server.id(), address)) {
                result = result.withChange(key, AUTO);
            }
        }
        return result;
    }

    /**
     * At start (the server is recorded active on its host): takes the temporary address the
     * configuration needs ({@code full} when the pools are empty) and resolves the rest. The
     * caller gives it back with {@link #release} if the start is undone.
     */
    Addresses take(Server server, ServerConfig config) {
        String temporary = needsTemporary(config) ? allocator.allocateTemporary(server.owner(), server.id()) : null;
        if (temporary != null) {
            formers.took(server.id(), temporary);
        }
        for (String key : new String[] {"nic:0:dhcp", "vnc"}) {
            String address = config.get(key);
            if (address != null && !address.equals(AUTO)) {
                try {
                    resources.owned(server.owner(), ResourceType.IP, address);
                } catch (ElasticException gone) {
                    throw ElasticException.usage("%s: %s is not one of your static IP resources", key, address);
                }
            }
        }
        VlanSpec vlan = null;
        String vlanId = config.get("nic:1:vlan");
        if (vlanId != null) {
            vlan = resources.vlan(UUID.fromString(vlanId)).filter(v -> v.owner().equals(server.owner()))
                    .map(v -> new VlanSpec(v.id().toString(), v.vni()))
                    .orElseThrow(() -> ElasticException.usage("nic:1:vlan: %s is not one of your VLAN resources", vlanId));
        }
        return resolve(config, temporary, vlan);
    }

    /** What info shows of a server on a host: the addresses it was given. */
    Addresses shown(Server server, ServerConfig config) {
        return shown(server, config, allocator::temporaryOf);
    }

    /** As {@link #shown(Server, ServerConfig)}, its temporary address from {@code temporaryOf}. */
    Addresses shown(Server server, ServerConfig config, Function<UUID, Optional<String>> temporaryOf) {
        String temporary = needsTemporary(config) ? temporaryOf.apply(server.id()).orElse(null) : null;
        return resolve(config, temporary, null);
    }

    /** The temporary address each server of {@code owner} holds, by server (one query). */
    Map<UUID, String> temporariesOf(UUID owner) {
        return allocator.temporariesOf(owner);
    }

    /** Gives back the server's temporary address, if it holds one (in the caller's transaction). */
    void release(UUID server) {
        allocator.release(server);
    }

    /**
     * The server's guest is being stopped and may still answer DHCP with its temporary address:
     * the address stays held, ended, until {@link #releaseEnded} or the {@link #sweep} after {@link
     * #ENDED_GRACE} (in the caller's transaction). Answers whether it held one.
     */
    boolean end(UUID server) {
        return allocator.end(server);
    }

    /** The host has stopped the server's guest: its ended address may go to another. */
    void releaseEnded(UUID server) {
        allocator.releaseEnded(server);
    }

    /**
     * How long an ended address is kept when its host never said the guest stopped (its API
     * instance died in between, or the host did not answer): the guest, now an orphan, is destroyed
     * at its host's first heartbeat {@link ServerActivity#GRACE} after the stop, and a host that has
     * sent none within {@code HostNodes.STALE_AFTER} is silent.
     */
    static final Duration ENDED_GRACE = ServerActivity.GRACE.plus(HostNodes.STALE_AFTER);

    /**
     * Gives back the temporary addresses of servers no longer on a host (or gone), left by a start
     * undone half-way or a stop that crossed it, and those ended longer than {@link #ENDED_GRACE}
     * ago whose host never said the guest stopped. A lease younger than {@link ServerActivity#GRACE}
     * is left alone, and one is deleted only as it was read, so a server started again since keeps
     * the address it has now. One query finds them, however many servers hold an address.
     * Runs every {@code elastic.servers.sweep-interval} ({@link ServerSweeps}).
     */
    public void sweep() {
        sweep(clock.instant());
    }

    /** Answers the addresses it gave back. */
    List<String> sweep(Instant now) {
        List<String> given = new ArrayList<>();
        for (IpAddress lease : servers.temporariesNotHeld(now.minus(ServerActivity.GRACE), now.minus(ENDED_GRACE))) {
            if (allocator.releaseExactly(lease)) {
                log.info("gave back {}: server {} no longer runs", lease.address(), lease.server());
                given.add(lease.address());
            }
        }
        return given;
    }

    private static boolean needsTemporary(ServerConfig config) {
        String dhcp = config.get("nic:0:dhcp");
        return AUTO.equals(dhcp) || dhcp == null && config.vnc() && AUTO.equals(config.vncAddress());
    }

    private Addresses resolve(ServerConfig config, String temporary, VlanSpec vlan) {
        String dhcp = config.get("nic:0:dhcp");
        String dhcpIp = dhcp == null ? null : dhcp.equals(AUTO) ? temporary : dhcp;
        String vncIp = null;
        if (config.vnc()) {
            String vnc = config.vncAddress();
            vncIp = !vnc.equals(AUTO) ? vnc : dhcpIp != null ? dhcpIp : temporary;
        }
        return new Addresses(dhcpIp, vncIp, vncIp == null ? null : pools.vncListen(vncIp), vlan);
    }
}
