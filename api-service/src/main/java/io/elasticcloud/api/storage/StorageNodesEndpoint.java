package io.elasticcloud.api.storage;

import io.elasticcloud.api.common.AdminPage;
import io.elasticcloud.protocol.ElasticException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/storagenodes}, for admins: every storage node heard of since start with its
 * hardware, whether it is reachable, its last heartbeat and its capacity, used and free bytes
 * as it last reported them; {@code /actuator/storagenodes/NODE} shows one.
 */
@Component
@Endpoint(id = "storagenodes")
public class StorageNodesEndpoint {
    private final StorageNodes nodes;

    public StorageNodesEndpoint(StorageNodes nodes) {
        this.nodes = nodes;
    }

    @ReadOperation
    public List<Map<String, Object>> list(@Nullable Integer offset, @Nullable Integer limit) {
        return AdminPage.of(offset, limit).of(nodes.known()).stream().map(this::describe).toList();
    }

    @ReadOperation
    public Map<String, Object> show(@Selector String node) {
        return nodes.known().stream().filter(s -> s.status().node().equals(node)).findFirst().map(this::describe)
                .orElseThrow(() -> ElasticException.missing("no storage node %s", node));
    }

    public Map<String, Object> describe(StorageNodes.Seen seen) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("node", seen.status().node());
        view.put("hardware", seen.status().hardware());
        view.put("reachable", nodes.reachable(seen.status().node()));
        view.put("lastHeartbeat", seen.at().toString());
        view.put("capacityBytes", seen.status().capacityBytes());
        view.put("usedBytes", seen.status().usedBytes());
        view.put("freeBytes", seen.status().freeBytes());
        if (seen.status().roomOnDiskBytes() != null) {
            view.put("roomOnDiskBytes", seen.status().roomOnDiskBytes());
        }
        view.put("volumeOverheadBytes", seen.status().volumeOverheadBytes());
        if (seen.status().dataUrl() != null) {
            view.put("dataUrl", seen.status().dataUrl());
        }
        return view;
    }
}
