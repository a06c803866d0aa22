package io.elasticcloud.api.drive;

import java.util.UUID;

/**
 * What servers hold of drives, answered by the server feature (drives know nothing of servers).
 * A drive is claimed while a server that has it on a device is on a host (active or paused).
 */
public interface DriveClaims {

    /** The claims on {@code drive}: {@code USER:guest:SERVER:DEVICE}, space-separated; empty if none. */
    String claimed(UUID drive);

    /** Whether a server on a host uses {@code drive}. */
    default boolean inUse(UUID drive) {
        return !claimed(drive).isEmpty();
    }

    /**
     * Whether a server of {@code user} on a host uses {@code drive}: what keeps the owner from
     * destroying or imaging onto its drive. Other customers' servers (readers, read-only) never do.
     */
    boolean inUseBy(UUID drive, UUID user);
}
