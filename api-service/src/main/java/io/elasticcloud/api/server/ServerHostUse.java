package io.elasticcloud.api.server;

import io.elasticcloud.api.host.HostUse;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** The host side's view of what servers use on a host, counted from their rows. */
@Component
class ServerHostUse implements HostUse {
    private final ServerRepository servers;

    ServerHostUse(ServerRepository servers) {
        this.servers = servers;
    }

    @Override
    public long cpuOn(String node) {
        return servers.sumCpuOnHost(node);
    }

    @Override
    public long memOn(String node) {
        return servers.sumMemOnHost(node);
    }

    @Override
    public Map<String, Used> usedByHost() {
        return servers.sumCpuMemByHost().stream()
                .collect(Collectors.toMap(ServerUseOnHost::host, u -> new Used(u.cpu(), u.mem())));
    }
}
