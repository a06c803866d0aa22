package io.elasticcloud.api.drive;

import io.elasticcloud.protocol.storage.Conversion;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An imaging operation from the customer's request until its storage node reports it finished.
 * Kept in the database so that a restart of the API service re-sends it (the storage node treats
 * the same job id as one job) instead of leaving the drive marked as imaging for ever.
 */
@Entity
@Table(name = "imaging_job")
public class ImagingJob {
    @Id
    private UUID id;
    @Column(name = "target_id", nullable = false)
    private UUID target;
    @Column(name = "source_id", nullable = false)
    private UUID source;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Conversion conversion;
    /** Null until the storage node reports progress: the job is {@code queued}. */
    private Integer percent;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ImagingJob() {
    }

    ImagingJob(UUID id, UUID target, UUID source, Conversion conversion, Instant createdAt) {
        this.id = id;
        this.target = target;
        this.source = source;
        this.conversion = conversion;
        this.createdAt = createdAt;
    }

    void progress(int percent) {
        this.percent = percent;
    }

    public UUID id() { return id; }
    public UUID target() { return target; }
    public UUID source() { return source; }
    public Conversion conversion() { return conversion; }
    public Integer percent() { return percent; }
}
