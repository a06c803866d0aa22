package io.elasticcloud.api.quota;

import java.util.UUID;

/**
 * The counts of things an account holds that billing does not price by number: drives (a bean of
 * the drive feature) and servers (of the server feature). Together with billing's {@code
 * Holdings} (disk, cpu, mem, IPs, VLANs) they are what {@link Quotas} checks, so that quotas
 * import neither drives nor servers and nothing billing counts is counted twice. Read while the
 * account's row is locked, in the transaction of the command.
 */
public interface CountedResources {

    /** What {@code account} holds of this feature's things, as counts ({@code drives} or {@code servers}). */
    Amounts countedFor(UUID account);

    /** Whether this source counts in any kind {@code kinds} has more than nothing of (as {@code HeldResources.holdsAnyOf}). */
    boolean countsAnyOf(Amounts kinds);
}
