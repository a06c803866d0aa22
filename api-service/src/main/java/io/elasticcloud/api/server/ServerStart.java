package io.elasticcloud.api.server;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.protocol.agent.AgentCommands.StartGuest;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * {@code start}. The row moves first (the start is placed and recorded {@code active} under its
 * host's placement lock, so parallel starts never overcommit a host or break {@code avoid:servers},
 * and under its drives' row locks, so they never share an exclusive drive: {@link ServerPlacer}),
 * then the host is told; a start the host refuses is undone.
 */
@Service
public class ServerStart {
    private final ServerRows rows;
    private final ServerPlacer placer;
    private final ServerNetwork network;
    private final VolumeExports exports;
    private final NodeClient nodes;
    private final ServerActivity activity;

    ServerStart(ServerRows rows, ServerPlacer placer, ServerNetwork network, VolumeExports exports,
                NodeClient nodes, ServerActivity activity) {
        this.rows = rows;
        this.placer = placer;
        this.network = network;
        this.exports = exports;
        this.nodes = nodes;
        this.activity = activity;
    }

    /** A server just started: its row as the start recorded it, and what its host answered of the guest. */
    public record Started(Server server, GuestInfo guest) {
    }

    /**
     * Places and starts the user's server; {@code busy} if it is on a host already. Answers its row
     * as placed and what the host answered of the guest it started (its VNC port, its counters at
     * zero).
     */
    public Started start(UUID user, UUID id) {
        return start(user, id, null);
    }

    /** As {@link #start(UUID, UUID)}, of a server whose row a create has just inserted as {@code created}. */
    Started start(UUID user, UUID id, Server created) {
        activity.begin(id);
        try {
            ServerPlacer.Placed placed = placer.place(user, id, created);
            try {
                ServerNetwork.Addresses addresses = network.take(placed.server(), placed.config());
                Server server = placed.server();
                Map<String, Boolean> readOnly = GuestSpecFactory.readOnly(server.owner(), placed.config(), placed.drives());
                Map<String, VolumeAttachment> attachments = exports.attach(server, placed.machine(), placed.drives(),
                        readOnly);
                return new Started(server, nodes.call(server.host(), new StartGuest(
                        "start-" + id + "-" + server.startedAt().toEpochMilli(),
                        GuestSpecFactory.spec(server, placed.config(), attachments, readOnly, addresses))));
            } catch (RuntimeException e) {
                rows.undoStart(placed.server());
                throw e;
            }
        } finally {
            activity.end(id);
        }
    }
}
