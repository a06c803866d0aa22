package io.elasticcloud.protocol.storage;

/**
 * A storage node's capacity and use.
 *
 * @param node          the node's name on the bus
 * @param hardware      the physical storage it lives on; drives that must {@code avoid} each
 *                      other go to nodes with different hardware
 * @param capacityBytes bytes the node may hand out in volume sizes
 * @param usedBytes     the sum of its volumes' sizes (what is promised, not what is allocated)
 */
public record NodeStatus(String node, String hardware, long capacityBytes, long usedBytes) {
    public long freeBytes() {
        return capacityBytes - usedBytes;
    }
}
