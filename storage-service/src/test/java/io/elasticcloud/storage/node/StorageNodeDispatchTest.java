package io.elasticcloud.storage.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.agent.AgentCommands.ListGuests;
import io.elasticcloud.protocol.storage.StorageCommands.StorageCommand;
import io.elasticcloud.storage.imaging.ImagingService;
import io.elasticcloud.storage.testing.RecordingTransport;
import io.elasticcloud.storage.volume.InMemoryVolumeBackend;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dispatch is exhaustive: every command the sealed {@link StorageCommand} permits has its handler
 * in the node (a node lacking one does not even build), and only commands of another family get
 * "does not accept".
 */
class StorageNodeDispatchTest {
    private final RecordingTransport bus = new RecordingTransport();
    private final InMemoryVolumeBackend backend = new InMemoryVolumeBackend();
    private final ExecutorService threads = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private StorageNode node() {
        LocalVolumeDataPath dataPath = new LocalVolumeDataPath();
        dataPath.register("pool-d", backend);
        ImagingService imaging = new ImagingService("pool-d", backend, dataPath, threads, bus::publish, Duration.ofSeconds(1));
        return new StorageNode(new StorageNode.Settings("pool-d", "hw-d", 1L << 30, Duration.ofSeconds(30)), backend, bus,
                imaging);
    }

    @Test
    void everyStorageCommandHasAHandler() {
        StorageNode node = node();
        for (Class<?> command : StorageCommand.class.getPermittedSubclasses()) {
            assertThat(node.handledCommands()).as("the handler of %s", command.getSimpleName()).contains(command);
        }
        assertThat(node.handledCommands()).hasSize(StorageCommand.class.getPermittedSubclasses().length);
    }

    @Test
    void anAgentCommandIsNotAcceptedAsBefore() {
        StorageNode node = node();
        assertThatThrownBy(() -> node.handle(new ListGuests("c1")))
                .isInstanceOfSatisfying(ElasticException.class, e -> {
                    assertThat(e.type()).isEqualTo(ErrorType.USAGE);
                    assertThat(e.getMessage()).isEqualTo("storage node pool-d does not accept ListGuests");
                });
    }
}
