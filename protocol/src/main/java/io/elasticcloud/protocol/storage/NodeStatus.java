package io.elasticcloud.protocol.storage;

/**
 * A storage node's capacity and use.
 *
 * @param node          the node's name on the bus
 * @param hardware      the physical storage it lives on; drives that must {@code avoid} each
 *                      other go to nodes with different hardware
 * @param capacityBytes bytes the node may hand out in volume sizes
 * @param usedBytes     the sum of its volumes' sizes (what is promised, not what is allocated)
 * @param dataUrl       where the node serves its volumes' bytes to other processes (the internal
 *                      HTTP data path, {@code io.elasticcloud.protocol.datapath}); null when it serves none (single host)
 */
public record NodeStatus(String node, String hardware, long capacityBytes, long usedBytes, String dataUrl) {
    public NodeStatus(String node, String hardware, long capacityBytes, long usedBytes) {
        this(node, hardware, capacityBytes, usedBytes, null);
    }

    public long freeBytes() {
        return capacityBytes - usedBytes;
    }
}
