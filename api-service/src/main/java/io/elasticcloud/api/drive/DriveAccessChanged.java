package io.elasticcloud.api.drive;

import java.util.UUID;

/**
 * Published after the owner changed who may read {@code drive} ({@code set}, whatever it changed)
 * or destroyed it ({@code destroyed}), once that is committed: the server feature then stops the
 * other customers' servers that hold the drive and may no longer read it, and their copies of it
 * are cancelled ({@link DriveImaging#accessChanged}). Drives know nothing of
 * servers; this event is how they say so.
 */
public record DriveAccessChanged(UUID drive, UUID owner, boolean destroyed) {
}
