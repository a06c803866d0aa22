package io.elasticcloud.api.drive;

import io.elasticcloud.api.billing.HeldResources;
import io.elasticcloud.api.billing.Usage;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** For billing: a drive is held, at its size, from its create until its destroy. */
@Component
class DriveHoldings implements HeldResources {
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
        for (Object[] row : drives.sumSizeByOwner()) {
            held.put((UUID) row[0], Usage.disk(((Number) row[1]).longValue()));
        }
        return held;
    }
}
