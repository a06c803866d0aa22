package io.elasticcloud.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.agent.hypervisor.FakeHypervisor;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.agent.AgentCommands.AgentCommand;
import io.elasticcloud.protocol.bus.InProcessTransport;
import io.elasticcloud.protocol.storage.StorageCommands.ListVolumes;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Dispatch is exhaustive: every command the sealed {@link AgentCommand} permits has its handler in
 * the agent (an agent lacking one does not even build), and only commands of another family get
 * "does not accept".
 */
class NodeAgentDispatchTest {

    @Test
    void everyAgentCommandHasAHandler() {
        try (InProcessTransport bus = new InProcessTransport();
             NodeAgent agent = new NodeAgent("host-d", new FakeHypervisor(), bus, Duration.ofSeconds(30), "pub")) {
            for (Class<?> command : AgentCommand.class.getPermittedSubclasses()) {
                assertThat(agent.handledCommands()).as("the handler of %s", command.getSimpleName()).contains(command);
            }
            assertThat(agent.handledCommands()).hasSize(AgentCommand.class.getPermittedSubclasses().length);
        }
    }

    @Test
    void aStorageCommandIsNotAcceptedAsBefore() {
        try (InProcessTransport bus = new InProcessTransport();
             NodeAgent agent = new NodeAgent("host-d", new FakeHypervisor(), bus, Duration.ofSeconds(30), "pub")) {
            assertThatThrownBy(() -> agent.handle(new ListVolumes("c1")))
                    .isInstanceOfSatisfying(ElasticException.class, e -> {
                        assertThat(e.type()).isEqualTo(ErrorType.USAGE);
                        assertThat(e.getMessage()).isEqualTo("node agent host-d does not accept ListVolumes");
                    });
        }
    }
}
