package io.elasticcloud.api.server;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.api.drive.Drive;
import io.elasticcloud.api.storage.StorageNodes;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DetachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ExportInfo;
import io.elasticcloud.protocol.storage.StorageCommands.ListExports;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * How a started server's drives reach its host: each drive's storage node is asked ({@code
 * AttachVolume}) with the host's machine ({@code HostInfo.host}), and answers the volume's path
 * when it is on that machine, or an NBD export it starts otherwise. Each export is held in the
 * name of one start of one server ({@code SERVER/STARTMILLIS}), so that a hold left by an earlier
 * start is never mistaken for the current one.
 *
 * <p>Letting go is a reconciliation, not a list of call sites: {@link #sweep} asks every reachable
 * storage node for its exports and detaches every hold whose start is no longer on a host (the
 * server stopped, was destroyed, or started again since). It runs every {@code
 * elastic.servers.export-sweep-interval} and, soon after a server with drives ends ({@link
 * #released}), after the commit that ended it. A {@code dead} server keeps its exports: its host may
 * come back with the guest still running.
 */
@Component
public class VolumeExports {
    private static final Logger log = LoggerFactory.getLogger(VolumeExports.class);

    private final NodeClient nodes;
    private final StorageNodes storageNodes;
    private final ServerRepository servers;
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "volume-exports");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean sweepPending = new AtomicBoolean();

    public VolumeExports(NodeClient nodes, StorageNodes storageNodes, ServerRepository servers) {
        this.nodes = nodes;
        this.storageNodes = storageNodes;
        this.servers = servers;
    }

    /** The hold of one start of {@code server} (which must be started). */
    static String holder(Server server) {
        return server.id() + "/" + server.startedAt().toEpochMilli();
    }

    /**
     * Each device's volume as its storage node attaches it for a guest on machine {@code host}
     * (null: a host that does not name its machine gets paths); an export of a device in {@code
     * readOnly} refuses writes.
     */
    Map<String, VolumeAttachment> attach(Server server, String host, Map<String, Drive> drives,
                                         Map<String, Boolean> readOnly) {
        Map<String, VolumeAttachment> attachments = new LinkedHashMap<>();
        String holder = holder(server);
        drives.forEach((device, drive) -> attachments.put(device, nodes.call(drive.storageNode(),
                new AttachVolume("attach-" + UUID.randomUUID(), drive.id().toString(), host, holder,
                        readOnly.get(device)))));
        return attachments;
    }

    /**
     * {@code server} ended (or its start was undone): its exports are let go soon, after the current
     * transaction commits (the sweep must see the server off its host). A server without drives held
     * none (its drives cannot change while it is on a host): nothing to sweep for.
     */
    void released(Server server) {
        if (server.drives().isEmpty()) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    sweepSoon();
                }
            });
        } else {
            sweepSoon();
        }
    }

    private void sweepSoon() {
        if (sweepPending.compareAndSet(false, true)) {
            try {
                background.execute(() -> {
                    sweepPending.set(false);
                    sweep();
                });
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                sweepPending.set(false);
            }
        }
    }

    /** Every {@code elastic.servers.export-sweep-interval} ({@link ServerSweeps}). */
    public void sweep() {
        for (NodeStatus node : storageNodes.reachable()) {
            try {
                sweep(node.node());
            } catch (ElasticException e) {
                log.warn("the exports of storage node {} could not be checked: {}", node.node(), e.getMessage());
            }
        }
    }

    /**
     * Detaches every hold on {@code node}'s exports whose start is no longer on a host; answers how
     * many. The holders' servers are read after the node's list, a hundred to a statement.
     */
    int sweep(String node) {
        List<ExportInfo> exports = nodes.call(node, new ListExports("exports-" + UUID.randomUUID())).exports();
        List<UUID> ids = exports.stream().flatMap(e -> e.holders().stream()).map(VolumeExports::serverOf)
                .filter(Objects::nonNull).distinct().toList();
        Map<UUID, Instant> starts = servers.startsAmong(ids);
        int detached = 0;
        for (ExportInfo export : exports) {
            for (String holder : export.holders()) {
                if (!current(holder, starts)) {
                    log.info("letting go of the export of volume {} on {} held by {}", export.volume(), node, holder);
                    nodes.send(node, new DetachVolume("detach-" + holder + "-" + export.volume(), export.volume(), holder));
                    detached++;
                }
            }
        }
        return detached;
    }

    /** The server a hold names ({@code SERVER/STARTMILLIS}), or null: not a hold of ours. */
    private static UUID serverOf(String holder) {
        try {
            return UUID.fromString(holder.substring(0, Math.max(0, holder.indexOf('/'))));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether {@code holder} names the start a server on its host (or dead, maybe still running) is in. */
    private static boolean current(String holder, Map<UUID, Instant> starts) {
        UUID id = serverOf(holder);
        Instant started = id == null ? null : starts.get(id);
        try {
            return started != null && started.toEpochMilli() == Long.parseLong(holder.substring(holder.indexOf('/') + 1));
        } catch (NumberFormatException e) {
            return false; // not a hold of ours
        }
    }

    @PreDestroy
    void close() {
        background.shutdownNow();
    }
}
