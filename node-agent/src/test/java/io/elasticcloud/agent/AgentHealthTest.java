package io.elasticcloud.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.agent.hypervisor.Hypervisor;
import io.elasticcloud.agent.hypervisor.HypervisorHealthIndicator;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.bus.InProcessTransport;
import io.elasticcloud.protocol.bus.MessageCodec;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code hypervisor} as the agent's wiring makes it: UP on libvirt's test driver (the real library,
 * no QEMU), DOWN with the reason where libvirt cannot be reached (a port where nothing listens).
 */
class AgentHealthTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(AgentConfiguration.class)
            .withBean(Transport.class, () -> new InProcessTransport(new MessageCodec(), 2))
            .withPropertyValues("elastic.agent.node=host-h", "elastic.data-dir=target/agent-health-test");

    @Test
    void upWhileLibvirtAnswers() {
        runner.withPropertyValues("elastic.agent.libvirt-uri=test:///default").run(context -> {
            Health health = new HypervisorHealthIndicator(context.getBean(Hypervisor.class)).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKeys("domainType", "cores", "memoryMb", "freeMemoryMb");
        });
    }

    @Test
    void downWithTheReasonWhereLibvirtCannotBeReached() {
        runner.withPropertyValues("elastic.agent.libvirt-uri=qemu+tcp://127.0.0.1:1/system").run(context -> {
            Health health = new HypervisorHealthIndicator(context.getBean(Hypervisor.class)).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsOnlyKeys("reason");
            assertThat((String) health.getDetails().get("reason")).contains("qemu+tcp://127.0.0.1:1/system");
        });
    }
}
