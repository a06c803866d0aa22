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
 * destroys when the host reports it. The guest's temporary address is given back once the host has
 * stopped it, or by the sweep ({@link ServerNetwork#ENDED_GRACE}) if it never says so. Shutdown and
 * reset only tell the host.
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
        Cut cut = rows.onServer(id, () -> {
            Server server = row.get();
            if (server == null || !server.status().onHost() && server.status() != ServerStatus.DEAD) {
                return null;
            }
            return new Cut(server.status() == ServerStatus.DEAD ? null : server.host(), rows.stopping(server));
        });
        if (cut != null && cut.host() != null) {
            activity.touch(id);
            try {
                nodes.call(cut.host(), new StopGuest("stop-" + UUID.randomUUID(), id.toString()));
                if (cut.heldAddress()) {
                    rows.guestStopped(id);
                }
            } catch (ElasticException e) {
                log.warn("server {} is recorded stopped but its host {} did not stop it: {}", id, cut.host(), e.getMessage());
            }
        }
        return cut != null;
    }

    /** A power cut recorded: the host to tell (null for a {@code dead} server), whether the guest held an address. */
    private record Cut(String host, boolean heldAddress) {
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
