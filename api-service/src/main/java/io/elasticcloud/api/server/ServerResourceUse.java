package io.elasticcloud.api.server;

import io.elasticcloud.api.resource.ResourceType;
import io.elasticcloud.api.resource.ResourceUsers;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Which server's configuration names a resource, for {@code busy} on its destroy. */
@Component
public class ServerResourceUse implements ResourceUsers {
    private final ServerRepository servers;

    public ServerResourceUse(ServerRepository servers) {
        this.servers = servers;
    }

    @Override
    public Optional<String> serverUsing(UUID viewer, ResourceType type, String resource) {
        var using = type == ResourceType.IP ? servers.findUsingAddress(resource) : servers.findOnVlan(resource);
        return using.stream().min(Comparator.comparing(Server::id)).map(s -> s.namedFor(viewer));
    }
}
