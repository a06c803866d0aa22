package io.elasticcloud.protocol.agent;

/**
 * A hypervisor host's capacity, as the scheduler places servers on it.
 *
 * @param node           the agent's name on the bus
 * @param domainType     {@code kvm} (hardware virtualization) or {@code qemu} (TCG emulation)
 * @param cores          physical cores (logical CPUs) of the host
 * @param mhz            the speed of one core
 * @param memoryMb       the host's memory in MiB
 * @param freeMemoryMb   memory not used at the moment of the report
 * @param guests         guests running
 * @param committedMhz   the sum of the running guests' CPU quotas
 * @param committedMemoryMb the sum of the running guests' memory
 * @param tunnelAddress  the host's VXLAN underlay address ({@code elastic.agent.tunnel-address}), null
 *                       for none: the other agents flood their VLANs' frames to it
 */
public record HostInfo(String node, String domainType, int cores, int mhz, long memoryMb, long freeMemoryMb,
                       int guests, long committedMhz, long committedMemoryMb, String tunnelAddress) {

    /** A host without a tunnel address. */
    public HostInfo(String node, String domainType, int cores, int mhz, long memoryMb, long freeMemoryMb,
                    int guests, long committedMhz, long committedMemoryMb) {
        this(node, domainType, cores, mhz, memoryMb, freeMemoryMb, guests, committedMhz, committedMemoryMb, null);
    }
}
