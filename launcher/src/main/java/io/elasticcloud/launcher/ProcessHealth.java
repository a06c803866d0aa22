package io.elasticcloud.launcher;

import io.elasticcloud.agent.hypervisor.Hypervisor;
import io.elasticcloud.agent.hypervisor.HypervisorHealthIndicator;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.bus.BusHealthIndicator;
import io.elasticcloud.storage.StoragePools;
import io.elasticcloud.storage.StoragePoolsHealth;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The health of a process without the API role, on its management port ({@link RoleEnvironment}):
 * {@code bus}, and its own parts: {@code storagePools} (storage role), {@code hypervisor} (agent
 * role). A process with the API shows neither part: the API's {@code storageNodes} and {@code
 * hosts} report them from their heartbeats, and a single host without libvirt must stay {@code UP}
 * (its API serves on).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "elastic.api.enabled", havingValue = "false")
class ProcessHealth {

    @Bean
    BusHealthIndicator busHealthIndicator(Transport transport) {
        return new BusHealthIndicator(transport);
    }

    @Bean
    @ConditionalOnProperty(name = "elastic.storage.enabled", havingValue = "true", matchIfMissing = true)
    StoragePoolsHealth storagePoolsHealthContributor(StoragePools pools) {
        return new StoragePoolsHealth(pools);
    }

    @Bean
    @ConditionalOnProperty(name = "elastic.agent.enabled", havingValue = "true", matchIfMissing = true)
    HypervisorHealthIndicator hypervisorHealthIndicator(Hypervisor hypervisor) {
        return new HypervisorHealthIndicator(hypervisor);
    }
}
