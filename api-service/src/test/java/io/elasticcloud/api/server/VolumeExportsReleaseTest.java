package io.elasticcloud.api.server;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.api.security.ApiMasterKey;
import io.elasticcloud.api.storage.StorageNodes;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.ExportList;
import io.elasticcloud.protocol.storage.StorageCommands.ListExports;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The end of a server sweeps the storage nodes' exports only if it had drives: a server without
 * any held none, and a cloud's churn of such servers asked every storage node for its exports at
 * every destroy.
 */
class VolumeExportsReleaseTest {
    private final NodeClient nodes = mock(NodeClient.class);
    private final StorageNodes storage = mock(StorageNodes.class);
    private final VolumeExports exports = new VolumeExports(nodes, storage, mock(ServerRepository.class));

    @AfterEach
    void close() {
        exports.close();
    }

    private static Server server(String keys) {
        ServerConfig config = ServerConfig.empty().withKey("name", "n").withKey("cpu", "100").withKey("mem", "16");
        for (String line : keys.lines().toList()) {
            config = config.withKey(line.split(" ")[0], line.split(" ")[1]);
        }
        return new Server(UUID.randomUUID(), UUID.randomUUID(), config.complete(), Instant.now(),
                new SealedVncPassword(ApiMasterKey.random()));
    }

    @Test
    void theEndOfAServerWithoutDrivesAsksNoStorageNode() throws InterruptedException {
        when(storage.reachable()).thenReturn(List.of(new NodeStatus("store-a", "hw", 1, 0)));
        when(nodes.call(eq("store-a"), any(ListExports.class))).thenReturn(new ExportList(List.of()));

        exports.released(server(""));
        Thread.sleep(300);
        verifyNoInteractions(nodes, storage);

        exports.released(server("ide:0:0 " + UUID.randomUUID()));
        verify(nodes, timeout(5_000)).call(eq("store-a"), any(ListExports.class));
    }
}
