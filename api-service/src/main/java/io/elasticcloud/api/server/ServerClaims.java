package io.elasticcloud.api.server;

import io.elasticcloud.api.drive.DriveClaims;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** The drives' {@code claimed} key, from the servers on hosts. */
@Component
public class ServerClaims implements DriveClaims {
    private final ServerRepository servers;

    public ServerClaims(ServerRepository servers) {
        this.servers = servers;
    }

    @Override
    public String claimed(UUID drive) {
        List<String> claims = new ArrayList<>();
        for (Server server : servers.findOnHostUsing(drive)) {
            for (Map.Entry<String, ServerDrive> device : server.drives().entrySet()) {
                if (device.getValue().drive().equals(drive)) {
                    claims.add(server.owner() + ":guest:" + server.id() + ":" + device.getKey());
                }
            }
        }
        claims.sort(null);
        return String.join(" ", claims);
    }
}
