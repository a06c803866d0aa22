package io.elasticcloud.agent.hypervisor;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code hypervisor}, the health of an agent process's connection to libvirt: {@code UP} while
 * libvirt answers what the host offers (details: domain type, cores, memory total and free),
 * {@code DOWN} with libvirt's reason when it does not, or when it could not be reached at start
 * ({@link UnavailableHypervisor}). Asked at each call.
 */
public final class HypervisorHealthIndicator implements HealthIndicator {
    private final Hypervisor hypervisor;

    public HypervisorHealthIndicator(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    @Override
    public Health health() {
        HostCapacity host;
        try {
            host = hypervisor.host();
        } catch (RuntimeException e) {
            // an ElasticException says what failed in words of its own; no trace
            return Health.down().withDetail("reason", e.getMessage()).build();
        }
        return Health.up().withDetail("domainType", host.domainType()).withDetail("cores", host.cores())
                .withDetail("coreMhz", host.mhz()).withDetail("memoryMb", host.memoryMb())
                .withDetail("freeMemoryMb", host.freeMemoryMb()).build();
    }
}
