package io.elasticcloud.api.drive;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.api.storage.StorageNodes;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DestroyVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ListVolumes;
import io.elasticcloud.protocol.storage.VolumeInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Brings storage nodes in line with the database, which holds the desired state. A drive row is
 * always written before its volume is made and deleted before its volume is destroyed, so after a
 * crash between the two steps: a volume without a row is left over (destroyed here), and a row
 * without a volume was never finished (its volume is created here; an unfinished library import,
 * which has no bytes to recreate, is removed).
 */
@Component
public class VolumeReconciler {
    private static final Logger log = LoggerFactory.getLogger(VolumeReconciler.class);
    static final Duration IMPORT_GRACE = Duration.ofMinutes(30);

    private final DriveRepository drives;
    private final DriveTotals totals;
    private final StorageNodes nodes;
    private final NodeClient storage;
    private final Clock clock;

    VolumeReconciler(DriveRepository drives, DriveTotals totals, StorageNodes nodes, NodeClient storage,
                     Optional<Clock> clock) {
        this.drives = drives;
        this.totals = totals;
        this.nodes = nodes;
        this.storage = storage;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Scheduled(initialDelayString = "${elastic.reconcile.initial-delay:10s}",
            fixedDelayString = "${elastic.reconcile.interval:60s}")
    public void reconcileAll() {
        for (NodeStatus node : nodes.reachable()) {
            try {
                reconcile(node.node());
            } catch (ElasticException e) {
                log.warn("storage node {} could not be reconciled: {}", node.node(), e.getMessage());
            }
        }
    }

    void reconcile(String node) {
        // Rows are read before volumes: a drive created in between has a row and a volume, and
        // one destroyed in between is simply destroyed again (both commands are idempotent).
        Map<UUID, Drive> rows = drives.findByStorageNode(node).stream()
                .collect(Collectors.toMap(Drive::id, Function.identity()));
        Set<String> volumes = storage.call(node, new ListVolumes("list-" + UUID.randomUUID())).volumes().stream()
                .map(VolumeInfo::volume).collect(Collectors.toSet());
        for (String volume : volumes) {
            UUID id = parse(volume);
            if (id == null || !rows.containsKey(id) && !drives.existsById(id)) {
                log.info("destroying volume {} on {}: no drive has it", volume, node);
                storage.call(node, new DestroyVolume("reconcile-destroy-" + volume, volume));
            }
        }
        for (Drive drive : rows.values()) {
            if (volumes.contains(drive.id().toString())) {
                continue;
            }
            if (drive.standard()) {
                if (drive.createdAt().plus(IMPORT_GRACE).isAfter(clock.instant())) {
                    continue; // an import may still be copying a large image
                }
                log.info("removing standard drive {}: its import never finished", drive.id());
                totals.remove(drive.id());
            } else if (drives.existsById(drive.id())) {
                log.info("creating the missing volume of drive {} on {}", drive.id(), node);
                // a command id of its own: under the creation's, a node that kept running would answer
                // from its remembered reply to the creation, and the lost volume would stay lost
                storage.call(node, new CreateVolume("reconcile-create-" + UUID.randomUUID(), drive.id().toString(),
                        DriveService.volumeSize(drive.size()), drive.cipher()));
            }
        }
    }

    private static UUID parse(String volume) {
        try {
            return UUID.fromString(volume);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
