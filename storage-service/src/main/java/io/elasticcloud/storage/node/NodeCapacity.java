package io.elasticcloud.storage.node;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.storage.volume.VolumeBackend;
import java.io.IOException;

/**
 * A storage node's two bounds on what its volumes may take, checked under one lock with the
 * footprints of the changes in flight reserved, so that concurrent creations never overcommit.
 * Capacity bounds what volumes may take on disk at most (sizes, LUKS headers, key files: {@link
 * VolumeBackend#footprint}); the real disk must keep room for every volume's unwritten part, the
 * changes in flight and the headroom (spools, the database, logs), so that writes into volumes
 * already promised never find the disk full.
 */
final class NodeCapacity {
    /** A change that takes room on the node and may fail as storage does. */
    @FunctionalInterface
    interface Change<T> {
        T run() throws IOException;
    }

    private final VolumeBackend backend;
    private final long capacityBytes;
    private final long headroomBytes;
    private final Object lock = new Object();
    private long reserved;

    NodeCapacity(VolumeBackend backend, long capacityBytes, long headroomBytes) {
        this.backend = backend;
        this.capacityBytes = capacityBytes;
        this.headroomBytes = headroomBytes;
    }

    /**
     * What the node reports of its space, read together under the lock: {@code used}, what its
     * volumes and the changes in flight take; {@code roomOnDisk}, what a new volume may take on the
     * disk now (at least 0; null for a backend on no disk). A change in flight is in both or in
     * neither: the API reads the room as {@code roomOnDisk + used} less what it has promised, and a
     * create it has promised that was still running here counted twice, against the room and not in
     * the use, so every create failed {@code full} until the next heartbeat.
     */
    record Report(long used, Long roomOnDisk) {
    }

    Report report() throws IOException {
        synchronized (lock) {
            VolumeBackend.Space space = backend.space();
            long room = room(space);
            return new Report(used(space), room == Long.MAX_VALUE ? null : Math.max(0, room));
        }
    }

    /** Runs {@code change} with {@code bytes} of footprint reserved for it, or answers {@code full}. */
    <T> T reserving(long bytes, Change<T> change) throws IOException {
        reserve(bytes);
        try {
            return change.run();
        } finally {
            synchronized (lock) {
                reserved -= bytes;
            }
        }
    }

    private void reserve(long bytes) throws IOException {
        synchronized (lock) {
            VolumeBackend.Space space = backend.space();
            long used = used(space);
            if (bytes > capacityBytes - used) {
                // no node name in a customer's answer: internal names stay inside
                throw ElasticException.full("the storage has %d bytes free, %d needed",
                        Math.max(0, capacityBytes - used), bytes);
            }
            long room = room(space);
            if (bytes > room) {
                throw ElasticException.full("the storage has %d bytes free on its disk, %d needed",
                        Math.max(0, room), bytes);
            }
            reserved += bytes;
        }
    }

    /** What the volumes and the changes in flight take. Caller holds the lock. */
    private long used(VolumeBackend.Space space) {
        return space.promised() + reserved;
    }

    /** May be negative; {@link Long#MAX_VALUE} for a backend on no disk. Caller holds the lock. */
    private long room(VolumeBackend.Space space) throws IOException {
        long usable = backend.usableSpace();
        if (usable == Long.MAX_VALUE) {
            return usable;
        }
        return usable - headroomBytes - space.unwritten() - reserved;
    }
}
