package io.elasticcloud.api.server;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.AgentCommands.DestroyGuest;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * {@code destroy}: the row goes first, then the host is told to remove the guest if it runs one.
 * Its temporary address is given back once the host has removed the guest, or by the sweep ({@link
 * ServerNetwork#ENDED_GRACE}) if it never says so (a {@code dead} server's host is silent).
 */
@Service
public class ServerDestroy {
    private static final Logger log = LoggerFactory.getLogger(ServerDestroy.class);

    private final ServerRows rows;
    private final NodeClient agents;

    ServerDestroy(ServerRows rows, NodeClient agents) {
        this.rows = rows;
        this.agents = agents;
    }

    /** Destroys the server, stopping its guest first if it runs; its drives are untouched. */
    public void destroy(UUID user, UUID id) {
        boolean[] heldAddress = new boolean[1];
        Server server = rows.onServer(id, () -> {
            Server s = rows.owned(user, id);
            rows.delete(s);
            heldAddress[0] = rows.endAddress(id);
            return s;
        });
        if (server.status().onHost()) {
            // no ServerActivity.touch: the row is gone, and a report of its guest is believed
            // (destroying it again is harmless)
            try {
                agents.call(server.host(), new DestroyGuest("destroy-" + id, id.toString()));
                if (heldAddress[0]) {
                    rows.guestStopped(id);
                }
            } catch (ElasticException e) {
                log.warn("server {} is destroyed but its host {} did not remove its guest: {}", id, server.host(),
                        e.getMessage());
            }
        }
        if (server.status().onHost() || server.status() == ServerStatus.DEAD) {
            rows.releaseExports(server);
        }
    }
}
