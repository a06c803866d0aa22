package io.elasticcloud.storage.host;

/**
 * One row of {@code lvm vgs} as {@link LvmReports} reads it; sizes in bytes. LVs are allocated in
 * whole extents, so a size asked of {@code lvcreate} rounds up to {@code extentSize}.
 */
public record VolumeGroup(String name, long size, long free, long extentSize) {
}
