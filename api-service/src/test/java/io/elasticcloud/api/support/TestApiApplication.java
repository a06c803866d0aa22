package io.elasticcloud.api.support;

import io.elasticcloud.agent.NodeAgent;
import io.elasticcloud.agent.hypervisor.FakeHypervisor;
import io.elasticcloud.agent.hypervisor.HostCapacity;
import io.elasticcloud.protocol.Transport;
import java.time.Duration;
import io.elasticcloud.protocol.bus.InProcessTransport;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The API service alone, as its fast tests run it: the real web, security and persistence layers,
 * the in-process bus (its commands counted), two real storage nodes on in-memory volumes ({@link TestStorageNodes}) on different
 * hardware, and two real
 * {@link NodeAgent}s ({@code host-a}, {@code host-b}) on fake hypervisors of {@link #HOST_CORES} ×
 * {@link #HOST_MHZ} MHz and {@link #HOST_MEMORY_MB} MB each, on machines {@code hv-a} and {@code hv-b}
 * (the storage nodes, on every machine unless a test puts them on one, attach by path).
 */
@SpringBootApplication(scanBasePackages = "io.elasticcloud.api")
public class TestApiApplication {
    public static final long NODE_CAPACITY = 64L * 1024 * 1024;

    /** The in-process bus, counting what is sent on it ({@link CountingTransport}). */
    @Bean(destroyMethod = "close")
    CountingTransport transport() {
        return new CountingTransport(new InProcessTransport());
    }

    public static final int HOST_CORES = 4;
    public static final int HOST_MHZ = 2000;
    public static final int HOST_MEMORY_MB = 8192;

    @Bean
    FakeHypervisor hostA() {
        return new FakeHypervisor(new HostCapacity("qemu", HOST_CORES, HOST_MHZ, HOST_MEMORY_MB, HOST_MEMORY_MB));
    }

    @Bean
    FakeHypervisor hostB() {
        return new FakeHypervisor(new HostCapacity("qemu", HOST_CORES, HOST_MHZ, HOST_MEMORY_MB, HOST_MEMORY_MB));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    NodeAgent agentA(FakeHypervisor hostA, Transport transport) {
        return new NodeAgent("host-a", hostA, transport, Duration.ofMillis(300), "default", null, "hv-a");
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    NodeAgent agentB(FakeHypervisor hostB, Transport transport) {
        return new NodeAgent("host-b", hostB, transport, Duration.ofMillis(300), "default", null, "hv-b");
    }

    @Bean(destroyMethod = "close")
    TestStorageNodes testStorageNodes(Transport transport) throws java.io.IOException {
        return new TestStorageNodes(transport).node("fake-a", "hw-a", NODE_CAPACITY).node("fake-b", "hw-b", NODE_CAPACITY);
    }
}
