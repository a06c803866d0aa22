package io.elasticcloud.api.drive;

import java.util.UUID;

/** The bytes of one owner's drives, summed (a row of a grouped query). */
public record DriveBytesOfOwner(UUID owner, long bytes) {
}
