package io.elasticcloud.api.drive;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What servers hold of drives, answered by the server feature (drives know nothing of servers).
 * A drive is claimed while a server that has it on a device is on a host (active or paused).
 */
public interface DriveClaims {
    /** Shown in place of another customer's user and server UUIDs. */
    String OTHER = "other";

    /** One server on a host using a drive: whose it is, which, and on which device. */
    record Claim(UUID user, UUID server, String device) {
        /**
         * {@code USER:guest:SERVER:DEVICE} to the server's own customer; to anyone else (the
         * drive's owner when a reader's server uses it, a reader when the owner's does) the same
         * shape without an identifier of theirs: {@code other:guest:other:DEVICE}.
         */
        public String shownTo(UUID viewer) {
            return user.equals(viewer) ? user + ":guest:" + server + ":" + device
                    : OTHER + ":guest:" + OTHER + ":" + device;
        }
    }

    /** The claims on {@code drive}, in no particular order; empty if none. */
    List<Claim> claims(UUID drive);

    /**
     * The claims on each of {@code drives} that has any, in one query however many they are (a
     * listing's drive info asks this, not {@link #claims(UUID)} per drive).
     */
    Map<UUID, List<Claim>> claims(Collection<UUID> drives);

    /** Whether a server on a host uses {@code drive}. */
    default boolean inUse(UUID drive) {
        return !claims(drive).isEmpty();
    }

    /** The {@code claimed} value {@code viewer} sees: space-separated, sorted, once each; "" if none. */
    static String claimed(List<Claim> claims, UUID viewer) {
        return String.join(" ", claims.stream().map(c -> c.shownTo(viewer)).distinct().sorted().toList());
    }

    /**
     * Whether a server of {@code user} on a host uses {@code drive}: what keeps the owner from
     * destroying or imaging onto its drive. Other customers' servers (readers, read-only) never do.
     */
    boolean inUseBy(UUID drive, UUID user);
}
