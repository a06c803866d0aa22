package io.elasticcloud.api.drive;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.api.storage.StorageNodes;
import io.elasticcloud.api.storage.StoragePlacement;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DestroyVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ResizeVolume;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Drives' volumes on the storage nodes: where a new one goes, whether a node has room for one to
 * grow, and the commands that create, resize and destroy them. Room is counted from what the
 * drives' rows promise on each node ({@link StoragePlacement}); the caller holds the placement
 * lock from asking to recording the drive. Volumes are whole sectors ({@link
 * DriveService#volumeSize}).
 */
@Component
class DriveVolumes {
    private final DriveRepository drives;
    private final DriveTotals totals;
    private final StorageNodes nodes;
    private final StoragePlacement placement;
    private final NodeClient storage;

    DriveVolumes(DriveRepository drives, DriveTotals totals, StorageNodes nodes, StoragePlacement placement,
                 NodeClient storage) {
        this.drives = drives;
        this.totals = totals;
        this.nodes = nodes;
        this.placement = placement;
        this.storage = storage;
    }

    /** The node for a new drive of {@code size} away from the {@code avoid}ed hardware ({@code full} if none). */
    NodeStatus choose(long size, Set<String> avoid) {
        return placement.choose(DriveService.volumeSize(size), avoid, totals::bytesOnNode,
                totals::encryptedOnNode);
    }

    /** {@code full} unless the node of {@code drive} has room for it to grow from {@code before} to {@code size} bytes. */
    void checkRoomToGrow(Drive drive, long before, long size) {
        NodeStatus node = nodes.status(drive.storageNode())
                .orElseThrow(() -> ElasticException.system("storage node %s is unreachable", drive.storageNode()));
        long room = StoragePlacement.room(node, totals.bytesOnNode(node.node()), totals.encryptedOnNode(node.node()));
        if (DriveService.volumeSize(size) - DriveService.volumeSize(before) > room) {
            throw ElasticException.full("no room to grow drive %s to %d bytes on its storage", drive.id(), size);
        }
    }

    /** The hardware of the {@code user}'s drives listed in {@code avoid} ({@code usage} for any other). */
    Set<String> avoidedHardware(UUID user, List<UUID> avoid) {
        Set<String> hardware = new HashSet<>();
        for (UUID other : avoid) {
            Drive drive = drives.findById(other).filter(d -> d.owner().equals(user))
                    .orElseThrow(() -> ElasticException.usage("avoid: no drive %s", other));
            NodeStatus node = nodes.status(drive.storageNode())
                    .orElseThrow(() -> ElasticException.system("storage node of drive %s is unreachable", other));
            hardware.add(node.hardware());
        }
        return hardware;
    }

    void create(Drive drive, long size, Cipher cipher) {
        storage.call(drive.storageNode(),
                new CreateVolume("create-" + drive.id(), drive.id().toString(), DriveService.volumeSize(size), cipher));
    }

    void resize(Drive drive, long size) {
        storage.call(drive.storageNode(), new ResizeVolume("resize-" + drive.id() + "-" + size,
                drive.id().toString(), DriveService.volumeSize(size)));
    }

    void destroy(Drive drive) {
        storage.call(drive.storageNode(), new DestroyVolume("destroy-" + drive.id(), drive.id().toString()));
    }
}
