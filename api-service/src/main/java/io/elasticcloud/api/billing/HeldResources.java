package io.elasticcloud.api.billing;

import java.util.Map;
import java.util.UUID;

/**
 * What accounts hold of one kind of thing, as the feature that owns it counts it from the database.
 * Drives ({@code drive.DriveHoldings}) and servers ({@code server.ServerHoldings}) implement it;
 * the resources feature (static IPs, VLANs) adds its own bean, and billing sums every bean there
 * is. Both are read inside billing's transactions: {@link #heldBy} while the account's row is
 * locked, so what a parallel command of the same account recorded is seen once it committed.
 */
public interface HeldResources {

    /** What {@code account} holds now; {@link Usage#NONE} if nothing. */
    Usage heldBy(UUID account);

    /** What every account that holds anything holds now. */
    Map<UUID, Usage> heldByAccount();

    /**
     * Whether what this source holds counts in any kind {@code kinds} has more than nothing of: a
     * check of other kinds does not read it ({@code quota.Quotas} checks a start's cpu and mem
     * without counting drives, IPs or VLANs).
     */
    boolean holdsAnyOf(Usage kinds);
}
