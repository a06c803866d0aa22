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
 * counts as one, whatever its status: read from the account's total ({@link ServerTotals}), one row
 * however many servers it has.
 */
@Component
class ServerHoldings implements HeldResources, CountedResources {
    private final ServerRepository servers;
    private final ServerTotals totals;

    ServerHoldings(ServerRepository servers, ServerTotals totals) {
        this.servers = servers;
        this.totals = totals;
    }

    @Override
    public Usage heldBy(UUID account) {
        ServerUse use = servers.sumCpuMemOfOwnerOnHost(account);
        return Usage.server(use.cpu(), use.mem());
    }

    @Override
    public Map<UUID, Usage> heldByAccount() {
        Map<UUID, Usage> held = new HashMap<>();
        for (ServerUseOfOwner use : servers.sumCpuMemByOwner(ServerStatus.ON_HOST)) {
            held.put(use.owner(), Usage.server(use.cpu(), use.mem()));
        }
        return held;
    }

    @Override
    public boolean holdsAnyOf(Usage kinds) {
        return kinds.cpuMhz() > 0 || kinds.memMb() > 0;
    }

    @Override
    public boolean countsAnyOf(Amounts kinds) {
        return kinds.servers() > 0;
    }

    @Override
    public Amounts countedFor(UUID account) {
        return new Amounts(0, 0, totals.countOf(account), 0, 0, 0, 0);
    }
}
