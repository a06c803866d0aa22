package io.elasticcloud.api.quota;

import io.elasticcloud.api.billing.Usage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an account holds, may hold, or what a command adds, in the units of the quotas: drives
 * (count), disk (bytes of drive sizes), servers (count), cpu (core MHz on hosts), mem (MB on
 * hosts), static IPs and VLANs.
 */
public record Amounts(long drives, long disk, long servers, long cpu, long mem, long ips, long vlans) {
    public static final Amounts NONE = new Amounts(0, 0, 0, 0, 0, 0, 0);
    /** The quota names, in the order they are shown and checked. */
    static final String[] NAMES = {"drives", "disk", "servers", "cpu", "mem", "ips", "vlans"};

    /** A new drive of {@code bytes}. */
    public static Amounts drive(long bytes) {
        return new Amounts(1, bytes, 0, 0, 0, 0, 0);
    }

    /** A drive grown by {@code bytes}. */
    public static Amounts disk(long bytes) {
        return new Amounts(0, bytes, 0, 0, 0, 0, 0);
    }

    /** A new server, checked as if it ran with {@code cpu} and {@code mem} (as billing checks it). */
    public static Amounts newServer(long cpu, long mem) {
        return new Amounts(0, 0, 1, cpu, mem, 0, 0);
    }

    /** {@code cpu} and {@code mem} more on hosts: a start, or a raise. */
    public static Amounts running(long cpu, long mem) {
        return new Amounts(0, 0, 0, cpu, mem, 0, 0);
    }

    public static Amounts ip() {
        return new Amounts(0, 0, 0, 0, 0, 1, 0);
    }

    public static Amounts vlan() {
        return new Amounts(0, 0, 0, 0, 0, 0, 1);
    }

    /** What billing counts (disk, cpu, mem, IPs, VLANs), with no drive or server counts. */
    static Amounts of(Usage usage) {
        return new Amounts(0, usage.diskBytes(), 0, usage.cpuMhz(), usage.memMb(), usage.ips(), usage.vlans());
    }

    /** The kinds billing counts (disk, cpu, mem, IPs, VLANs), as billing's usage. */
    Usage usage() {
        return new Usage(cpu, mem, disk, ips, vlans);
    }

    public Amounts plus(Amounts o) {
        return new Amounts(drives + o.drives, disk + o.disk, servers + o.servers, cpu + o.cpu, mem + o.mem,
                ips + o.ips, vlans + o.vlans);
    }

    long[] values() {
        return new long[] {drives, disk, servers, cpu, mem, ips, vlans};
    }

    static Amounts from(long[] v) {
        return new Amounts(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    }

    /** By quota name, for views. */
    public Map<String, Long> asMap() {
        Map<String, Long> map = new LinkedHashMap<>();
        long[] v = values();
        for (int i = 0; i < NAMES.length; i++) {
            map.put(NAMES[i], v[i]);
        }
        return map;
    }
}
