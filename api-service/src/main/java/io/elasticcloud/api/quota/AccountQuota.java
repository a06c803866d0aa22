package io.elasticcloud.api.quota;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An admin's override of one account's limits; a null column keeps the configured default. */
@Entity
@Table(name = "account_quota")
class AccountQuota {
    @Id
    @Column(name = "account_id")
    private UUID account;
    private Long drives;
    @Column(name = "disk_bytes")
    private Long disk;
    private Long servers;
    @Column(name = "cpu_mhz")
    private Long cpu;
    @Column(name = "mem_mb")
    private Long mem;
    private Long ips;
    private Long vlans;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Column(name = "updated_by", nullable = false)
    private String updatedBy;

    protected AccountQuota() {
    }

    AccountQuota(UUID account) {
        this.account = account;
    }

    /** Sets every limit: a null value falls back to the default. */
    void set(Long[] limits, Instant at, String actor) {
        drives = limits[0];
        disk = limits[1];
        servers = limits[2];
        cpu = limits[3];
        mem = limits[4];
        ips = limits[5];
        vlans = limits[6];
        updatedAt = at;
        updatedBy = actor;
    }

    Long[] limits() {
        return new Long[] {drives, disk, servers, cpu, mem, ips, vlans};
    }

    /** These limits, and the defaults where none is set. */
    Amounts over(Amounts defaults) {
        long[] d = defaults.values();
        Long[] own = limits();
        long[] result = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            result[i] = own[i] != null ? own[i] : d[i];
        }
        return Amounts.from(result);
    }

    Instant updatedAt() {
        return updatedAt;
    }

    String updatedBy() {
        return updatedBy;
    }
}
