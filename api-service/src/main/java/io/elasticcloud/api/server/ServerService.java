package io.elasticcloud.api.server;

import io.elasticcloud.api.billing.BillingService;
import io.elasticcloud.api.billing.Usage;
import io.elasticcloud.api.quota.Amounts;
import io.elasticcloud.api.quota.Quotas;
import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.api.drive.DriveService;
import io.elasticcloud.api.host.HostPlacement;
import io.elasticcloud.api.lock.Locks;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuest;
import io.elasticcloud.protocol.agent.AgentCommands.DestroyGuest;
import io.elasticcloud.protocol.agent.AgentCommands.SetGuestLive;
import io.elasticcloud.protocol.agent.GuestInfo;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The server commands besides power ({@link ServerPower}): what a customer may see, create,
 * change and destroy. Database transactions never span a bus call.
 */
@Service
public class ServerService {
    private static final Logger log = LoggerFactory.getLogger(ServerService.class);
    /** What {@code set} may change while the guest runs (section 3). */
    static final Set<String> LIVE = Set.of("name", "cpu", "persistent", "tags", "vnc:password");
    private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(2);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Draws of random MACs at a create before giving up (each collides with 1 in 16.7 million). */
    private static final int MAC_ATTEMPTS = 100;

    private final ServerRepository servers;
    private final ServerPower power;
    private final DriveService drives;
    private final NodeClient agents;
    private final HostPlacement placement;
    private final ServerActivity activity;
    private final ServerNetwork network;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BillingService billing;
    private final Quotas quotas;
    private final Locks locks;
    private final SealedVncPassword seal;

    public ServerService(ServerRepository servers, ServerPower power, DriveService drives, NodeClient agents,
                         HostPlacement placement, ServerActivity activity, ServerNetwork network,
                         TransactionTemplate tx, Optional<Clock> clock, BillingService billing, Locks locks,
                         Quotas quotas, SealedVncPassword seal) {
        this.seal = seal;
        this.billing = billing;
        this.quotas = quotas;
        this.locks = locks;
        this.servers = servers;
        this.power = power;
        this.drives = drives;
        this.agents = agents;
        this.placement = placement;
        this.activity = activity;
        this.network = network;
        this.tx = tx;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    public List<Server> list(UUID user) {
        return servers.findByOwnerOrderByCreatedAtAscIdAsc(user);
    }

    public Server owned(UUID user, UUID id) {
        return power.owned(user, id);
    }

    /** Its info keys, with the host's counters while it is on one (left out if the host does not answer). */
    public Map<String, String> info(Server server) {
        Optional<GuestInfo> guest = Optional.empty();
        if (server.status().onHost()) {
            try {
                guest = Optional.of(agents.call(server.host(),
                        new DescribeGuest("describe-" + UUID.randomUUID(), server.id().toString()), DESCRIBE_TIMEOUT));
            } catch (ElasticException e) {
                log.debug("server {}: no counters from {}: {}", server.id(), server.host(), e.getMessage());
            }
        }
        return ServerView.info(server, guest,
                server.status().onHost() ? network.shown(server, ServerConfig.of(server)) : null);
    }

    /**
     * Creates the server, stopped; {@code start} also starts it (and removes it again if it cannot
     * start). Billing checks it as if it ran, so that a server is not created that could not start.
     */
    public Server create(UUID user, Map<String, String> keys, boolean start) {
        ServerRequest request = ServerRequest.parse(keys);
        ServerConfig config = ServerConfig.empty().with(request).complete();
        UUID id = UUID.randomUUID();
        // Not under the placement lock: a stopped server is on no host. Only its MACs must not be
        // another's (their stripes are held to the commit); billing's check holds the account's row.
        boolean saved = false;
        for (int attempt = 0; !saved; attempt++) {
            if (attempt == MAC_ATTEMPTS) {
                throw ElasticException.system("no free MAC address found in %d attempts", MAC_ATTEMPTS);
            }
            Map<String, String> fresh = freshMacs(config);
            List<String> macs = new ArrayList<>(fresh.values());
            macs.add(config.get("nic:0:mac"));
            macs.add(config.get("nic:1:mac"));
            saved = locks.macs(macs, () -> tx.execute(status -> {
                ServerConfig checked = checkReferences(user, id, config);
                if (fresh.values().stream().anyMatch(mac -> !servers.findByMac(mac).isEmpty())) {
                    return false; // a random MAC another server has: draw again
                }
                for (Map.Entry<String, String> mac : fresh.entrySet()) {
                    checked = checked.withKey(mac.getKey(), mac.getValue());
                }
                quotas.check(user, Amounts.newServer(checked.cpu(), checked.mem()));
                billing.check(user, Usage.server(checked.cpu(), checked.mem()));
                Server server = new Server(id, user, checked, clock.instant().truncatedTo(ChronoUnit.MILLIS), seal);
                server.dialect(request.dhcpShowsAddress());
                servers.save(server);
                return true;
            }));
        }
        if (start) {
            try {
                power.start(user, id);
            } catch (RuntimeException e) {
                tx.executeWithoutResult(status -> servers.findById(id).ifPresent(servers::delete));
                throw e;
            }
        }
        return servers.findById(id).orElseThrow(() -> ServerPower.missing(id));
    }

    /**
     * Changes the configuration: every key while stopped; while on a host, the {@link #LIVE} keys
     * and {@code user:*} (a name or CPU change reaches the guest at once), any other key that would
     * change is {@code busy}. Raising {@code cpu} live must fit the host ({@code full}). Raising
     * {@code cpu} or {@code mem} is checked by billing: on a host, for what it adds; stopped, as if
     * the server ran with its new configuration.
     */
    public Server set(UUID user, UUID id, Map<String, String> keys) {
        ServerRequest parsed = ServerRequest.parse(keys);
        Server[] before = new Server[1];
        Server after = locks.hostPlacement(() -> locks.allMacs(() -> tx.execute(status -> locks.server(id, () -> {
                    Server server = power.owned(user, id);
                    ServerRequest request = network.withEchoes(user, server, parsed);
                    ServerConfig current = ServerConfig.of(server);
                    ServerConfig next = checkReferences(user, id, current.with(request).complete());
                    if (server.status().onHost()) {
                        for (String key : request.keys()) {
                            if (!LIVE.contains(key) && !Objects.equals(current.get(key), next.get(key))) {
                                throw ElasticException.busy("%s cannot change while server %s is active", key, id);
                            }
                        }
                    }
                    if (next.cpu() > server.cpu() || next.mem() > server.mem()) {
                        quotas.check(user, server.status().onHost()
                                ? Amounts.running(next.cpu() - server.cpu(), next.mem() - server.mem())
                                : Amounts.running(next.cpu(), next.mem()));
                        billing.check(user, server.status().onHost()
                                ? Usage.server(next.cpu() - server.cpu(), next.mem() - server.mem())
                                : Usage.server(next.cpu(), next.mem()));
                    }
                    if (server.status().onHost()) {
                        long room = HostPlacement.capacityCpu(placement.host(server.host()))
                                - servers.sumCpuOnHost(server.host()) + server.cpu();
                        if (next.cpu() > server.cpu() && next.cpu() > room) {
                            throw ElasticException.full("cpu %d does not fit server %s's host (%d core MHz free)",
                                    next.cpu(), id, room);
                        }
                    }
                    before[0] = snapshot(server, current);
                    server.configure(withMacs(next), seal);
                    server.dialect(request.dhcpShowsAddress());
                    return servers.save(server);
        }))));
        Server was = before[0];
        if (after.status().onHost() && (!was.name().equals(after.name()) || was.cpu() != after.cpu())) {
            try {
                agents.call(after.host(), new SetGuestLive("set-" + UUID.randomUUID(), id.toString(),
                        was.cpu() != after.cpu() ? after.cpu() : null,
                        was.name().equals(after.name()) ? null : after.name()));
            } catch (RuntimeException e) {
                tx.executeWithoutResult(status -> servers.findById(id).ifPresent(s -> {
                    s.configure(ServerConfig.of(was), seal);
                    servers.save(s);
                }));
                throw e;
            }
        }
        return after;
    }

    /** Destroys the server, stopping its guest first if it runs; its drives are untouched. */
    public void destroy(UUID user, UUID id) {
        Server server = tx.execute(status -> locks.server(id, () -> {
            Server s = power.owned(user, id);
            servers.delete(s);
            network.release(id);
            return s;
        }));
        if (server.status().onHost()) {
            activity.touch(id);
            try {
                agents.call(server.host(), new DestroyGuest("destroy-" + id, id.toString()));
            } catch (ElasticException e) {
                log.warn("server {} is destroyed but its host {} did not remove its guest: {}", id, server.host(),
                        e.getMessage());
            }
        }
        if (server.status().onHost() || server.status() == ServerStatus.DEAD) {
            power.releaseExports();
        }
    }

    /** Drives readable, avoided servers and drives the user's own, resources and MACs as {@link ServerNetwork#check}. */
    private ServerConfig checkReferences(UUID user, UUID id, ServerConfig config) {
        config.devices().forEach((device, d) -> power.attachable(user, device, d));
        for (UUID other : config.avoid("avoid:servers")) {
            servers.findById(other).filter(s -> s.owner().equals(user))
                    .orElseThrow(() -> ElasticException.usage("avoid:servers: no server %s", other));
        }
        for (UUID drive : config.avoid("avoid:drives")) {
            try {
                drives.owned(user, drive);
            } catch (ElasticException e) {
                throw ElasticException.usage("avoid:drives: no drive %s", drive);
            }
        }
        network.check(user, id, config);
        return config;
    }

    /** A random MAC (QEMU's 52:54:00 prefix) for each interface without one, by key; not checked yet. */
    private static Map<String, String> freshMacs(ServerConfig config) {
        Map<String, String> macs = new LinkedHashMap<>();
        for (int nic = 0; nic <= 1; nic++) {
            String key = "nic:" + nic + ":mac";
            if (config.hasNic(nic) && config.get(key) == null) {
                macs.put(key, randomMac());
            }
        }
        return macs;
    }

    private static String randomMac() {
        return String.format("52:54:00:%02x:%02x:%02x", RANDOM.nextInt(256), RANDOM.nextInt(256), RANDOM.nextInt(256));
    }

    /** Each interface without a MAC gets a random one no other server has, kept from then on (under every MAC stripe). */
    private ServerConfig withMacs(ServerConfig config) {
        ServerConfig result = config;
        for (int nic = 0; nic <= 1; nic++) {
            String key = "nic:" + nic + ":mac";
            if (config.hasNic(nic) && config.get(key) == null) {
                String mac;
                do {
                    mac = randomMac();
                } while (!servers.findByMac(mac).isEmpty());
                result = result.withKey(key, mac);
            }
        }
        return result;
    }

    /** A detached copy of a server's configuration, to put back if the host refuses a live change. */
    private Server snapshot(Server server, ServerConfig config) {
        return new Server(server.id(), server.owner(), config, server.createdAt(), seal);
    }
}
