package io.elasticcloud.api.storage;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.storage.NodeStatus;
import java.util.Comparator;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.springframework.stereotype.Component;

/**
 * Chooses the storage node for a new volume: a reachable node whose hardware none of the avoided
 * drives sit on, with room for the volume, preferring the most free space. Room is counted from
 * what the database has promised on each node (the sum of its drives' sizes), which is exact even
 * between heartbeats; callers hold {@link #lock()} from choosing to recording the drive, so two
 * parallel creates cannot both take the last space.
 */
@Component
public class StoragePlacement {
    private final StorageNodes nodes;
    private final Object lock = new Object();

    public StoragePlacement(StorageNodes nodes) {
        this.nodes = nodes;
    }

    public Object lock() {
        return lock;
    }

    /**
     * @param promised       bytes already promised on a node
     * @param avoidHardware  hardware ids the volume must not share
     */
    public NodeStatus choose(long size, Set<String> avoidHardware, ToLongFunction<String> promised) {
        var candidates = nodes.reachable();
        if (candidates.isEmpty()) {
            throw ElasticException.system("no storage node is reachable");
        }
        // Each node's room is asked of the database once, not again at every comparison.
        record Room(NodeStatus node, long free) {
        }
        return candidates.stream()
                .filter(n -> !avoidHardware.contains(n.hardware()))
                .map(n -> new Room(n, n.capacityBytes() - promised.applyAsLong(n.node())))
                .filter(r -> r.free() >= size)
                .max(Comparator.comparingLong(Room::free)
                        .thenComparing(r -> r.node().node(), Comparator.reverseOrder()))
                .map(Room::node)
                .orElseThrow(() -> avoidHardware.isEmpty()
                        ? ElasticException.full("no storage node has room for %d bytes", size)
                        : ElasticException.full("no storage node away from the avoided drives has room for %d bytes", size));
    }
}
