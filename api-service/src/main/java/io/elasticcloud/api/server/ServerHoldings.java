package io.elasticcloud.api.server;

import io.elasticcloud.api.billing.HeldResources;
import io.elasticcloud.api.billing.Usage;
import io.elasticcloud.api.quota.Amounts;
import io.elasticcloud.api.quota.CountedResources;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * For billing: a server holds its {@code cpu} and {@code mem} while it is on a host (active or
 * paused), as placement counts them; stopped or dead, it holds nothing. For quotas every server
 * counts as one, whatever its status.
 */
@Component
class ServerHoldings implements HeldResources, CountedResources {
    private final ServerRepository servers;

    ServerHoldings(ServerRepository servers) {
        this.servers = servers;
    }

    @Override
    public Usage heldBy(UUID account) {
        Object[] row = servers.sumCpuMemOfOwnerOnHost(account).get(0);
        return Usage.server(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
    }

    @Override
    public Map<UUID, Usage> heldByAccount() {
        Map<UUID, Usage> held = new HashMap<>();
        for (Object[] row : servers.sumCpuMemByOwner(ServerStatus.ON_HOST)) {
            held.put((UUID) row[0], Usage.server(((Number) row[1]).longValue(), ((Number) row[2]).longValue()));
        }
        return held;
    }

    @Override
    public Amounts countedFor(UUID account) {
        return new Amounts(0, 0, servers.countByOwner(account), 0, 0, 0, 0);
    }
}
