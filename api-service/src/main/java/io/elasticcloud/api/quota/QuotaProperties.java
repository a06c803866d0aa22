package io.elasticcloud.api.quota;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Per-customer limits ({@code elastic.quota.*}), the same for every account unless an admin sets
 * an override ({@code /actuator/quotas}); docs/configuration.md explains each. They hold with
 * billing on or off: a limit stops one customer from taking what every customer shares (the
 * pool's addresses, the storage, the hosts).
 *
 * @param drives  drives an account may hold
 * @param disk    the sum of its drives' sizes
 * @param servers servers it may have, in any status
 * @param cpu     core MHz of its servers on hosts (active or paused), as billing counts them
 * @param mem     MB of memory of its servers on hosts
 * @param ips     static IPs it may hold
 * @param vlans   VLANs it may hold
 */
@ConfigurationProperties("elastic.quota")
public record QuotaProperties(
        @DefaultValue("64") long drives,
        @DefaultValue("1TB") DataSize disk,
        @DefaultValue("32") long servers,
        @DefaultValue("64000") long cpu,
        @DefaultValue("131072") long mem,
        @DefaultValue("16") long ips,
        @DefaultValue("16") long vlans) {

    public QuotaProperties {
        if (drives < 0 || disk.isNegative() || servers < 0 || cpu < 0 || mem < 0 || ips < 0 || vlans < 0) {
            throw new IllegalArgumentException("elastic.quota: limits cannot be negative");
        }
    }

    /** The defaults as amounts. */
    public Amounts limits() {
        return new Amounts(drives, disk.toBytes(), servers, cpu, mem, ips, vlans);
    }
}
