package io.elasticcloud.api.server;

import io.elasticcloud.api.billing.BillingService;
import io.elasticcloud.api.billing.Usage;
import io.elasticcloud.api.quota.Amounts;
import io.elasticcloud.api.quota.Quotas;
import io.elasticcloud.api.drive.ClaimType;
import io.elasticcloud.api.drive.Drive;
import io.elasticcloud.api.drive.DriveService;
import io.elasticcloud.api.host.HostPlacement;
import io.elasticcloud.api.lock.Locks;
import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.api.storage.StorageNodes;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.AgentCommands.ResetGuest;
import io.elasticcloud.protocol.agent.AgentCommands.ShutdownGuest;
import io.elasticcloud.protocol.agent.AgentCommands.StartGuest;
import io.elasticcloud.protocol.agent.AgentCommands.StopGuest;
import io.elasticcloud.protocol.agent.HostInfo;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starting and stopping guests. The row moves first (a start is placed and recorded {@code
 * active} under the placement lock, so parallel starts never overcommit a host, break {@code
 * avoid:servers} or share an exclusive drive), then the host is told; a start the host refuses is
 * undone. A stop is recorded first and then carried out: if the host cannot be told, the guest it
 * still runs is an orphan that {@link ServerReconciler} destroys when the host reports it.
 */
@Service
public class ServerPower {
    private static final Logger log = LoggerFactory.getLogger(ServerPower.class);
    private static final long[] NOTHING_USED = {0, 0};

    private final ServerRepository servers;
    private final DriveService drives;
    private final NodeClient nodes;
    private final StorageNodes storageNodes;
    private final HostPlacement placement;
    private final Locks locks;
    private final ServerActivity activity;
    private final ServerNetwork network;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final BillingService billing;
    private final Quotas quotas;
    private final VolumeExports exports;

    public ServerPower(ServerRepository servers, DriveService drives, NodeClient nodes, StorageNodes storageNodes,
                       HostPlacement placement, Locks locks, ServerActivity activity,
                       ServerNetwork network, TransactionTemplate tx, Optional<Clock> clock,
                       BillingService billing, VolumeExports exports, Quotas quotas) {
        this.billing = billing;
        this.quotas = quotas;
        this.exports = exports;
        this.servers = servers;
        this.drives = drives;
        this.nodes = nodes;
        this.storageNodes = storageNodes;
        this.placement = placement;
        this.locks = locks;
        this.activity = activity;
        this.network = network;
        this.tx = tx;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** @param machine the host's machine ({@code HostInfo.host}), for the drives' storage nodes */
    private record Placed(Server server, ServerConfig config, Map<String, Drive> drives, String machine) {
    }

    /** Places and starts the user's server; {@code busy} if it is on a host already. */
    public void start(UUID user, UUID id) {
        activity.begin(id);
        try {
            Placed placed = locks.hostPlacement(() -> tx.execute(status -> locks.server(id, () -> place(user, id))));
            try {
                ServerNetwork.Addresses addresses = network.take(placed.server(), placed.config());
                Server server = placed.server();
                Map<String, Boolean> readOnly = GuestSpecFactory.readOnly(server.owner(), placed.config(), placed.drives());
                Map<String, VolumeAttachment> attachments = exports.attach(server, placed.machine(), placed.drives(),
                        readOnly);
                nodes.call(server.host(), new StartGuest("start-" + id + "-" + server.startedAt().toEpochMilli(),
                        GuestSpecFactory.spec(server, placed.config(), attachments, readOnly, addresses)));
            } catch (RuntimeException e) {
                undoStart(placed.server());
                throw e;
            }
        } finally {
            activity.end(id);
        }
    }

    private Placed place(UUID user, UUID id) {
        Server server = servers.findById(id).filter(s -> s.owner().equals(user)).orElseThrow(() -> missing(id));
        if (server.status().onHost()) {
            throw ElasticException.busy("server %s is %s already", id, server.status().apiName());
        }
        ServerConfig config = ServerConfig.of(server);
        Map<String, Drive> attached = claimable(user, id, config);
        quotas.check(user, Amounts.running(config.cpu(), config.mem()));
        billing.check(user, Usage.server(config.cpu(), config.mem()));
        Map<String, long[]> used = new HashMap<>();
        for (Object[] row : servers.sumCpuMemByHost()) {
            used.put((String) row[0], new long[] {((Number) row[1]).longValue(), ((Number) row[2]).longValue()});
        }
        HostInfo host = placement.choose(config.cpu(), config.mem(), avoidedHosts(user, id, config),
                node -> used.getOrDefault(node, NOTHING_USED)[0], node -> used.getOrDefault(node, NOTHING_USED)[1]);
        int vcpus = GuestSpecFactory.vcpus(config.smp(), config.cpu(), host);
        server.started(host.node(), clock.instant().truncatedTo(ChronoUnit.MILLIS), 1, vcpus);
        return new Placed(servers.save(server), config, attached, host.host());
    }

    /**
     * The drives of the configuration, each attachable by the user ({@link #attachable}), not being
     * imaged (nor imaged from, where the guest could write it) and, if exclusive, used by no other
     * server; their rows locked (in UUID order) until
     * the start is recorded, so that the owner's {@code set}, {@code image} and {@code destroy}
     * happen wholly before or after. An exclusive drive's owner is never kept out by another
     * customer's (read-only) server: only by its own.
     */
    Map<String, Drive> claimable(UUID user, UUID id, ServerConfig config) {
        Map<UUID, Drive> locked = new TreeMap<>();
        config.devices().entrySet().stream().sorted(Map.Entry.comparingByValue(
                java.util.Comparator.comparing(ServerConfig.Device::drive))).forEach(e -> locked.computeIfAbsent(
                e.getValue().drive(), drive -> lockedReadable(user, e.getKey(), drive)));
        Map<String, Drive> attached = new LinkedHashMap<>();
        config.devices().forEach((device, d) -> {
            Drive drive = locked.get(d.drive());
            checkBus(user, device, d, drive);
            if (drives.beingImaged(drive.id())) {
                throw ElasticException.busy("%s: drive %s is being imaged", device, drive.id());
            }
            if (!GuestSpecFactory.readOnly(user, drive, d.media()) && drives.imagedFrom(drive)) {
                // read-only (a cdrom, a reader's, the library's) it may start: the copy only reads it
                throw ElasticException.busy("%s: drive %s is being imaged from: the guest would write it mid-copy",
                        device, drive.id());
            }
            if (drive.claimType() == ClaimType.EXCLUSIVE) {
                boolean owner = drive.owner().equals(user);
                servers.findOnHostUsing(drive.id()).stream()
                        .filter(other -> !other.id().equals(id))
                        .filter(other -> !owner || other.owner().equals(user)).findFirst().ifPresent(other -> {
                            throw ElasticException.busy("%s: drive %s is in use by %s", device, drive.id(),
                                    other.namedFor(user));
                        });
            }
            attached.put(device, drive);
        });
        return attached;
    }

    /**
     * A drive the user may put on {@code device}: one they may read ({@code usage} naming the
     * device otherwise), and not a read-only drive on an IDE hard disk, which QEMU cannot make
     * read-only ({@code usage}: a cdrom, {@code scsi} or {@code block} device can).
     */
    Drive attachable(UUID user, String device, ServerConfig.Device d) {
        Drive drive;
        try {
            drive = drives.readable(user, d.drive());
        } catch (ElasticException e) {
            throw ElasticException.usage("%s: no drive %s", device, d.drive());
        }
        checkBus(user, device, d, drive);
        return drive;
    }

    private Drive lockedReadable(UUID user, String device, UUID drive) {
        try {
            return drives.readableLocked(user, drive);
        } catch (ElasticException e) {
            throw ElasticException.usage("%s: no drive %s", device, drive);
        }
    }

    private static void checkBus(UUID user, String device, ServerConfig.Device d, Drive drive) {
        if (device.startsWith("ide:") && "disk".equals(d.media()) && GuestSpecFactory.readOnly(user, drive, d.media())) {
            throw ElasticException.usage("%s: drive %s can only be attached read-only, and an IDE disk cannot be:"
                    + " use %s:media cdrom, or a scsi or block device", device, drive.id(), device);
        }
    }

    /**
     * The hosts the server must avoid: those of the user's running servers in {@code avoid:servers},
     * and those whose hardware holds a drive of {@code avoid:drives}. A host's physical hardware is
     * named by its node name; a storage node's by its {@code hardware}: one machine when the two
     * are equal (servers or drives destroyed since are no longer avoided).
     */
    private Set<String> avoidedHosts(UUID user, UUID id, ServerConfig config) {
        Set<String> hosts = new HashSet<>();
        for (UUID other : config.avoid("avoid:servers")) {
            servers.findById(other).filter(s -> s.owner().equals(user) && !s.id().equals(id) && s.status().onHost())
                    .ifPresent(s -> hosts.add(s.host()));
        }
        for (UUID drive : config.avoid("avoid:drives")) {
            try {
                Drive d = drives.owned(user, drive);
                storageNodes.status(d.storageNode()).ifPresent(node -> hosts.add(node.hardware()));
            } catch (ElasticException gone) {
                // destroyed since: nothing to avoid
            }
        }
        return hosts;
    }

    /** Back to stopped, with its temporary address given back (unless it was started again since). */
    private void undoStart(Server started) {
        tx.executeWithoutResult(status -> {
            locks.server(started.id(), () -> {
                Optional<Server> row = servers.findById(started.id());
                row.filter(s -> s.status() == ServerStatus.ACTIVE && started.startedAt().equals(s.startedAt()))
                        .ifPresent(s -> {
                            s.off(ServerStatus.STOPPED);
                            servers.save(s);
                        });
                if (row.isEmpty() || !row.get().status().onHost()) {
                    network.release(started.id());
                }
                exports.released();
            });
        });
    }

    /**
     * Power cut: a persistent server becomes {@code stopped}, another is destroyed. A server not on
     * a host stays as it is ({@code dead} becomes stopped or destroyed likewise).
     */
    public void stop(UUID user, UUID id) {
        powerCut(id, () -> owned(user, id));
    }

    /**
     * The platform's power cut, whoever owns the server (one that has lost a drive it may no longer
     * read): as {@link #stop}; a server gone or not on a host is left alone. Answers whether it was
     * on a host (or {@code dead}) and is now off.
     */
    boolean powerOff(UUID id) {
        return powerCut(id, () -> servers.findById(id).orElse(null));
    }

    private boolean powerCut(UUID id, java.util.function.Supplier<Server> row) {
        String[] host = new String[1];
        Boolean cut = tx.execute(status -> locks.server(id, () -> {
                Server server = row.get();
                if (server == null || !server.status().onHost() && server.status() != ServerStatus.DEAD) {
                    return false;
                }
                host[0] = server.status() == ServerStatus.DEAD ? null : server.host();
                ended(server);
                return true;
        }));
        if (host[0] != null) {
            activity.touch(id);
            try {
                nodes.call(host[0], new StopGuest("stop-" + UUID.randomUUID(), id.toString()));
            } catch (ElasticException e) {
                log.warn("server {} is recorded stopped but its host {} did not stop it: {}", id, host[0], e.getMessage());
            }
        }
        return Boolean.TRUE.equals(cut);
    }

    /**
     * The row of a guest that ended: stopped if persistent, else gone; its temporary address given
     * back and its drives' exports let go.
     */
    void ended(Server server) {
        network.release(server.id());
        exports.released();
        if (server.persistent()) {
            server.off(ServerStatus.STOPPED);
            servers.save(server);
        } else {
            servers.delete(server);
        }
    }

    /** A server left its host other than by {@link #ended}: its drives' exports are let go soon. */
    void releaseExports() {
        exports.released();
    }

    /** ACPI power button; the guest's power-off arrives later as an event. Not on a host: nothing to do. */
    public void shutdown(UUID user, UUID id) {
        Server server = tx.execute(status -> owned(user, id));
        if (!server.status().onHost()) {
            return;
        }
        activity.touch(id);
        nodes.call(server.host(), new ShutdownGuest("shutdown-" + UUID.randomUUID(), id.toString()));
    }

    /** Hard reset; {@code busy} if the server is not on a host. */
    public void reset(UUID user, UUID id) {
        Server server = tx.execute(status -> owned(user, id));
        if (!server.status().onHost()) {
            throw ElasticException.busy("server %s is %s: only an active server can be reset", id,
                    server.status().apiName());
        }
        activity.touch(id);
        nodes.call(server.host(), new ResetGuest("reset-" + UUID.randomUUID(), id.toString()));
    }

    Server owned(UUID user, UUID id) {
        return servers.findById(id).filter(s -> s.owner().equals(user)).orElseThrow(() -> missing(id));
    }

    static ElasticException missing(UUID id) {
        return ElasticException.missing("no server %s", id);
    }
}
