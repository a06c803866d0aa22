package io.elasticcloud.agent.hypervisor;

/**
 * What the hypervisor reports of its host.
 *
 * @param domainType   {@code kvm} or {@code qemu}, as guests are started here
 * @param cores        logical CPUs
 * @param mhz          speed of one
 * @param memoryMb     total memory
 * @param freeMemoryMb memory free now
 */
public record HostCapacity(String domainType, int cores, int mhz, long memoryMb, long freeMemoryMb) {
}
