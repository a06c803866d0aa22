package io.elasticcloud.api.drive;

import io.elasticcloud.api.billing.HeldResources;
import io.elasticcloud.api.billing.Usage;
import io.elasticcloud.api.quota.Amounts;
import io.elasticcloud.api.quota.CountedResources;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * For billing and quotas: a drive is held, at its size, from its create until its destroy; for
 * quotas it also counts as one drive.
 */
@Component
class DriveHoldings implements HeldResources, CountedResources {
    private final DriveTotals totals;

    DriveHoldings(DriveTotals totals) {
        this.totals = totals;
    }

    @Override
    public Usage heldBy(UUID account) {
        return Usage.disk(totals.bytesOf(account));
    }

    @Override
    public Map<UUID, Usage> heldByAccount() {
        Map<UUID, Usage> held = new HashMap<>();
        totals.bytesByOwner().forEach((owner, bytes) -> held.put(owner, Usage.disk(bytes)));
        return held;
    }

    @Override
    public boolean holdsAnyOf(Usage kinds) {
        return kinds.diskBytes() > 0;
    }

    @Override
    public boolean countsAnyOf(Amounts kinds) {
        return kinds.drives() > 0;
    }

    @Override
    public Amounts countedFor(UUID account) {
        return new Amounts(totals.countOf(account), 0, 0, 0, 0, 0, 0);
    }
}
