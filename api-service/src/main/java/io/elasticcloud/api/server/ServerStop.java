package io.elasticcloud.api.server;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.AgentCommands.ResetGuest;
import io.elasticcloud.protocol.agent.AgentCommands.ShutdownGuest;
import io.elasticcloud.protocol.agent.AgentCommands.StopGuest;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * {@code stop}, {@code shutdown} and {@code reset}. A stop is recorded first and then carried out:
 * if the host cannot be told, the guest it still runs is an orphan that {@link ServerReconciler}
 * destroys when the host reports it. Shutdown and reset only tell the host.
 */
@Service
public class ServerStop {
    private static final Logger log = LoggerFactory.getLogger(ServerStop.class);

    private final ServerRows rows;
    private final ServerActivity activity;
    private final NodeClient nodes;

    ServerStop(ServerRows rows, ServerActivity activity, NodeClient nodes) {
        this.rows = rows;
        this.activity = activity;
        this.nodes = nodes;
    }

    /**
     * Power cut: a persistent server becomes {@code stopped}, another is destroyed. A server not on
     * a host stays as it is ({@code dead} becomes stopped or destroyed likewise).
     */
    public void stop(UUID user, UUID id) {
        powerCut(id, () -> rows.owned(user, id));
    }

    /**
     * The platform's power cut, whoever owns the server (one that has lost a drive it may no longer
     * read): as {@link #stop}; a server gone or not on a host is left alone. Answers whether it was
     * on a host (or {@code dead}) and is now off.
     */
    boolean powerOff(UUID id) {
        return powerCut(id, () -> rows.find(id).orElse(null));
    }

    private boolean powerCut(UUID id, Supplier<Server> row) {
        String[] host = new String[1];
        Boolean cut = rows.onServer(id, () -> {
            Server server = row.get();
            if (server == null || !server.status().onHost() && server.status() != ServerStatus.DEAD) {
                return false;
            }
            host[0] = server.status() == ServerStatus.DEAD ? null : server.host();
            rows.ended(server);
            return true;
        });
        if (host[0] != null) {
            activity.touch(id);
            try {
                nodes.call(host[0], new StopGuest("stop-" + UUID.randomUUID(), id.toString()));
            } catch (ElasticException e) {
                log.warn("server {} is recorded stopped but its host {} did not stop it: {}", id, host[0], e.getMessage());
            }
        }
        return Boolean.TRUE.equals(cut);
    }

    /** ACPI power button; the guest's power-off arrives later as an event. Not on a host: nothing to do. */
    public void shutdown(UUID user, UUID id) {
        Server server = rows.inTransaction(() -> rows.owned(user, id));
        if (!server.status().onHost()) {
            return;
        }
        activity.touch(id);
        nodes.call(server.host(), new ShutdownGuest("shutdown-" + UUID.randomUUID(), id.toString()));
    }

    /** Hard reset; {@code busy} if the server is not on a host. */
    public void reset(UUID user, UUID id) {
        Server server = rows.inTransaction(() -> rows.owned(user, id));
        if (!server.status().onHost()) {
            throw ElasticException.busy("server %s is %s: only an active server can be reset", id,
                    server.status().apiName());
        }
        activity.touch(id);
        nodes.call(server.host(), new ResetGuest("reset-" + UUID.randomUUID(), id.toString()));
    }
}
