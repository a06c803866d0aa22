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
    private final DriveRepository drives;

    DriveHoldings(DriveRepository drives) {
        this.drives = drives;
    }

    @Override
    public Usage heldBy(UUID account) {
        return Usage.disk(drives.sumSizeOfOwner(account));
    }

    @Override
    public Map<UUID, Usage> heldByAccount() {
        Map<UUID, Usage> held = new HashMap<>();
        for (DriveBytesOfOwner row : drives.sumSizeByOwner()) {
            held.put(row.owner(), Usage.disk(row.bytes()));
        }
        return held;
    }

    @Override
    public Amounts countedFor(UUID account) {
        return new Amounts(drives.countOfOwner(account), 0, 0, 0, 0, 0, 0);
    }
}
