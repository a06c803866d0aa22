package io.elasticcloud.api.billing;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/**
 * An amount paid for in advance, covered from {@code start} (inclusive) to {@code end} (exclusive).
 * Drive is subscribed in whole GB (2^30 bytes).
 */
@Entity
@Immutable
@Table(name = "billing_subscription")
public class Subscription {
    @Id
    private UUID id;
    @Column(name = "account_id", nullable = false)
    private UUID account;
    @Column(name = "cpu_mhz", nullable = false)
    private long cpuMhz;
    @Column(name = "mem_mb", nullable = false)
    private long memMb;
    @Column(name = "disk_gb", nullable = false)
    private long diskGb;
    @Column(nullable = false)
    private long ips;
    @Column(nullable = false)
    private long vlans;
    @Column(name = "starts_at", nullable = false)
    private Instant start;
    @Column(name = "ends_at", nullable = false)
    private Instant end;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(nullable = false)
    private String actor;

    protected Subscription() {
    }

    /** The amounts a subscription covers, as they are subscribed: drive in whole GB. */
    record Covered(long cpuMhz, long memMb, long diskGb, long ips, long vlans) {
    }

    Subscription(UUID id, UUID account, Covered covered, Instant start, Instant end, Instant createdAt, String actor) {
        this.id = id;
        this.account = account;
        this.cpuMhz = covered.cpuMhz();
        this.memMb = covered.memMb();
        this.diskGb = covered.diskGb();
        this.ips = covered.ips();
        this.vlans = covered.vlans();
        this.start = start;
        this.end = end;
        this.createdAt = createdAt;
        this.actor = actor;
    }

    /** What it covers, drive in bytes. */
    public Usage covers() {
        return new Usage(cpuMhz, memMb, Math.multiplyExact(diskGb, Usage.GB), ips, vlans);
    }

    public boolean activeAt(Instant at) {
        return !at.isBefore(start) && at.isBefore(end);
    }

    public UUID id() { return id; }
    public UUID account() { return account; }
    public long cpuMhz() { return cpuMhz; }
    public long memMb() { return memMb; }
    public long diskGb() { return diskGb; }
    public long ips() { return ips; }
    public long vlans() { return vlans; }
    public Instant start() { return start; }
    public Instant end() { return end; }
    public Instant createdAt() { return createdAt; }
    public String actor() { return actor; }
}
