package io.elasticcloud.api.billing;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * An amount of what an account can hold: CPU in MHz, memory in MB, drive in bytes, static IPs and
 * VLANs. Used for what is held, what subscriptions cover and what a command adds.
 */
public record Usage(long cpuMhz, long memMb, long diskBytes, long ips, long vlans) {
    public static final Usage NONE = new Usage(0, 0, 0, 0, 0);
    static final long GB = 1L << 30;

    public static Usage server(long cpuMhz, long memMb) {
        return new Usage(cpuMhz, memMb, 0, 0, 0);
    }

    public static Usage disk(long bytes) {
        return new Usage(0, 0, bytes, 0, 0);
    }

    public static Usage ips(long count) {
        return new Usage(0, 0, 0, count, 0);
    }

    public static Usage vlans(long count) {
        return new Usage(0, 0, 0, 0, count);
    }

    public Usage plus(Usage other) {
        return new Usage(cpuMhz + other.cpuMhz, memMb + other.memMb, diskBytes + other.diskBytes,
                ips + other.ips, vlans + other.vlans);
    }

    public Usage minus(Usage other) {
        return new Usage(cpuMhz - other.cpuMhz, memMb - other.memMb, diskBytes - other.diskBytes,
                ips - other.ips, vlans - other.vlans);
    }

    /** Each amount, or 0 where it is negative: what is left uncovered, or what a change adds. */
    public Usage positive() {
        return new Usage(Math.max(0, cpuMhz), Math.max(0, memMb), Math.max(0, diskBytes), Math.max(0, ips),
                Math.max(0, vlans));
    }

    public boolean isNone() {
        return equals(NONE);
    }

    /** Whether it adds anything at all. */
    public boolean anyPositive() {
        return !positive().isNone();
    }

    /** Drive in GB (2^30 bytes), exact: a power of two always divides to a finite decimal. */
    public BigDecimal diskGb() {
        return new BigDecimal(diskBytes).divide(BigDecimal.valueOf(GB)).stripTrailingZeros();
    }

    /** For people: {@code cpu 500 MHz, mem 256 MB, disk 0.5 GB}, leaving out what is 0. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (cpuMhz != 0) {
            parts.add("cpu " + cpuMhz + " MHz");
        }
        if (memMb != 0) {
            parts.add("mem " + memMb + " MB");
        }
        if (diskBytes != 0) {
            parts.add("disk " + diskGb().toPlainString() + " GB");
        }
        if (ips != 0) {
            parts.add(ips + (ips == 1 ? " IP" : " IPs"));
        }
        if (vlans != 0) {
            parts.add(vlans + (vlans == 1 ? " VLAN" : " VLANs"));
        }
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }
}
