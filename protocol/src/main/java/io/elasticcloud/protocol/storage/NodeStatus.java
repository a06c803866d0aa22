package io.elasticcloud.protocol.storage;

/**
 * A storage node's capacity and use.
 *
 * @param node          the node's name on the bus
 * @param hardware      the physical storage it lives on; drives that must {@code avoid} each
 *                      other go to nodes with different hardware
 * @param capacityBytes bytes the node may hand out in volume sizes
 * @param usedBytes     what its volumes may take on disk at most (their sizes, LUKS headers, key
 *                      files): what is promised, not what is allocated yet
 * @param dataUrl       where the node serves its volumes' bytes to other processes (the internal
 *                      HTTP data path, {@code io.elasticcloud.protocol.datapath}); null when it serves none (single host)
 * @param roomOnDiskBytes what a new volume may still take on the node's real disk: the
 *                      filesystem's free space less what the volumes may still grow into (their
 *                      unwritten parts) and less the node's headroom; null when not reported
 * @param volumeOverheadBytes what a volume takes on disk beyond its size, at most (an encrypted
 *                      volume's LUKS header and key file); absent (a node older than this
 *                      accounting): 0
 */
public record NodeStatus(String node, String hardware, long capacityBytes, long usedBytes, String dataUrl,
                         Long roomOnDiskBytes, Long volumeOverheadBytes) {
    public NodeStatus {
        volumeOverheadBytes = volumeOverheadBytes == null ? 0L : volumeOverheadBytes;
    }

    public NodeStatus(String node, String hardware, long capacityBytes, long usedBytes) {
        this(node, hardware, capacityBytes, usedBytes, null);
    }

    public NodeStatus(String node, String hardware, long capacityBytes, long usedBytes, String dataUrl) {
        this(node, hardware, capacityBytes, usedBytes, dataUrl, null, 0L);
    }

    /** What a new volume may take: within the capacity, and within the room on the real disk. */
    public long freeBytes() {
        long free = capacityBytes - usedBytes;
        return roomOnDiskBytes == null ? free : Math.min(free, roomOnDiskBytes);
    }
}
