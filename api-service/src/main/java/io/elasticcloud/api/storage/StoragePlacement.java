package io.elasticcloud.api.storage;

import io.elasticcloud.api.lock.Locks;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.storage.NodeStatus;
import java.util.Comparator;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.springframework.stereotype.Component;

/**
 * Chooses the storage node for a new volume: a reachable node whose hardware none of the avoided
 * drives sit on, with room for the volume, preferring the most free space. Room is counted from
 * what the database has promised on each node (its drives' sizes, plus each volume's overhead on
 * disk as the node reports it: an encrypted volume's header and key file; kept as totals by
 * {@code drive.DriveTotals}, so asking costs the same however many drives there are), which is
 * exact even between heartbeats; callers hold the storage placement lock ({@link #locked}) from
 * choosing to recording the drive, so two parallel creates cannot both take the last space. It is also never more than the
 * room the node last reported on its real disk (free space less what its volumes may still grow
 * into, less its headroom, {@code elastic.storage.headroom}); the node checks that again, live,
 * when it creates the volume ({@code full} then too).
 */
@Component
public class StoragePlacement {
    private final StorageNodes nodes;
    private final Locks locks;

    public StoragePlacement(StorageNodes nodes, Locks locks) {
        this.nodes = nodes;
        this.locks = locks;
    }

    /** Runs {@code action} holding the storage placement lock, {@link Locks#storagePlacement}. */
    public <T> T locked(Supplier<T> action) {
        return locks.storagePlacement(action);
    }

    /** As {@link #locked(Supplier)}, for an action without a result. */
    public void locked(Runnable action) {
        locks.storagePlacement(action);
    }

    /**
     * @param size           the volume's size
     * @param avoidHardware  hardware ids the volume must not share
     * @param promised       bytes of volume sizes already promised on a node
     * @param volumes        encrypted volumes on a node (each with its overhead on disk)
     */
    public NodeStatus choose(long size, Set<String> avoidHardware, ToLongFunction<String> promised,
                             ToLongFunction<String> volumes) {
        var candidates = nodes.reachable();
        if (candidates.isEmpty()) {
            throw ElasticException.system("no storage node is reachable");
        }
        // Each node's room is asked of the database once, not again at every comparison.
        record Room(NodeStatus node, long free) {
        }
        return candidates.stream()
                .filter(n -> !avoidHardware.contains(n.hardware()))
                .map(n -> new Room(n, room(n, promised.applyAsLong(n.node()), volumes.applyAsLong(n.node()))))
                .filter(r -> r.free() >= size + r.node().volumeOverheadBytes())
                .max(Comparator.comparingLong(Room::free)
                        .thenComparing(r -> r.node().node(), Comparator.reverseOrder()))
                .map(Room::node)
                .orElseThrow(() -> avoidHardware.isEmpty()
                        ? ElasticException.full("no storage node has room for %d bytes", size)
                        : ElasticException.full("no storage node away from the avoided drives has room for %d bytes", size));
    }

    /**
     * What {@code node} can still take: its capacity less what the database promised there
     * ({@code promised} bytes of sizes and {@code volumes} encrypted volumes' overheads), and no
     * more than the room on its disk at its last heartbeat, corrected by what was promised or
     * given back since (the room then plus what the node counted then, less what is promised now):
     * a destroy is room again at once, a create takes it at once.
     */
    public static long room(NodeStatus node, long promised, long volumes) {
        long now = promised + volumes * node.volumeOverheadBytes();
        long free = node.capacityBytes() - now;
        return node.roomOnDiskBytes() == null ? free
                : Math.min(free, node.roomOnDiskBytes() + node.usedBytes() - now);
    }
}
