package io.elasticcloud.storage.host;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One row of {@code lvm lvs} as {@link LvmReports} reads it. {@code attr} is LVM's ten-character
 * {@code lv_attr}, whose letters the methods below name (see lvs(8)); {@code pool} is the thin
 * pool of a thin volume; the percentages are absent where LVM leaves them empty (a linear LV has
 * no data usage, only a thin pool has metadata).
 *
 * @param size in bytes
 */
public record LogicalVolume(String name, String vg, long size, String attr, Optional<String> pool,
        OptionalDouble dataPercent, OptionalDouble metadataPercent, List<String> tags) {

    public LogicalVolume {
        if (attr.length() < 10) {
            throw new IllegalArgumentException("lv_attr of " + vg + "/" + name + " is not 10 letters: " + attr);
        }
        tags = List.copyOf(tags);
    }

    /** {@code VG/LV}, the name LVM commands take. */
    public String fullName() {
        return vg + "/" + name;
    }

    /** A thin pool ({@code t}), which holds thin volumes. */
    public boolean isThinPool() {
        return attr.charAt(0) == 't';
    }

    /** A thin volume ({@code V}), a thin snapshot included. */
    public boolean isThinVolume() {
        return attr.charAt(0) == 'V';
    }

    /** Active: its device-mapper device exists, so it can be opened. */
    public boolean isActive() {
        return attr.charAt(4) == 'a';
    }

    /** Open: something (dm-crypt, an NBD export, a mount) holds its device. */
    public boolean isOpen() {
        return attr.charAt(5) == 'o';
    }

    /** A thin pool that zeroes a block before handing it to a volume ({@code z}): no volume sees another's old bytes. */
    public boolean zeroesNewBlocks() {
        return attr.charAt(7) == 'z';
    }

    /** The bytes of a thin volume or pool that hold data, from its data percentage (0 without one). */
    public long allocatedBytes() {
        return dataPercent.isPresent() ? Math.round(size * dataPercent.getAsDouble() / 100) : 0;
    }

    /** Flagged to skip activation ({@code k}), as thin snapshots are by default: activate with {@code -K}. */
    public boolean skipsActivation() {
        return attr.charAt(9) == 'k';
    }
}
