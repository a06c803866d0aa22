package io.elasticcloud.api.drive;

import io.elasticcloud.api.common.InsertedRow;
import io.elasticcloud.protocol.storage.Cipher;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/**
 * A drive as the customer sees it, and where its volume lives. Counters are changed only by
 * atomic increments in {@link DriveRepository}, never through this object.
 */
@Entity
@Table(name = "drive")
public class Drive extends InsertedRow implements Persistable<UUID> {
    /** The owner of the operator's standard drives (the library). */
    public static final UUID LIBRARY_OWNER = new UUID(0, 0);

    @Id
    private UUID id;
    @Column(name = "owner_id", nullable = false)
    private UUID owner;
    @Column(nullable = false)
    private String name;
    @Column(name = "size_bytes", nullable = false)
    private long size;
    @Enumerated(EnumType.STRING)
    @Column(name = "claim_type", nullable = false)
    private ClaimType claimType;
    @Column(nullable = false)
    private String readers;
    @Column(nullable = false)
    private String tags;
    @Column(name = "user_keys", nullable = false)
    private String userKeys;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private Cipher cipher;
    @Column(name = "storage_node", nullable = false)
    private String storageNode;
    @Column(nullable = false)
    private boolean standard;
    private String media;
    private String format;
    @Column(name = "raw_size")
    private Long rawSize;
    @Column(name = "imaging_error")
    private String imagingError;
    @Column(name = "read_bytes", insertable = false, updatable = false)
    private long readBytes;
    @Column(name = "read_requests", insertable = false, updatable = false)
    private long readRequests;
    @Column(name = "write_bytes", insertable = false, updatable = false)
    private long writeBytes;
    @Column(name = "write_requests", insertable = false, updatable = false)
    private long writeRequests;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Version
    private long version;

    protected Drive() {
    }

    Drive(UUID id, UUID owner, DriveSettings settings, long size, Cipher cipher, String storageNode, Instant createdAt) {
        this.id = id;
        this.owner = owner;
        this.size = size;
        this.cipher = cipher;
        this.storageNode = storageNode;
        this.createdAt = createdAt;
        this.name = "";
        this.claimType = ClaimType.EXCLUSIVE;
        this.readers = "";
        this.tags = "";
        this.userKeys = "";
        apply(settings);
    }

    /**
     * What a stored drive's row holds beyond what a drive is created with: read by {@link DriveRows}
     * without the entity manager, and given to a drive made from the rest of the row ({@link #restore}).
     *
     * @param counts bytes read, read requests, bytes written, write requests
     */
    record Stored(boolean standard, String media, String format, Long rawSize, String imagingError, long[] counts,
                  long version) {
    }

    /** Completes a drive read from its row ({@link DriveRows}): made with the row's settings, then given the rest. */
    void restore(Stored stored) {
        this.standard = stored.standard();
        this.media = stored.media();
        this.format = stored.format();
        this.rawSize = stored.rawSize();
        this.imagingError = stored.imagingError();
        this.readBytes = stored.counts()[0];
        this.readRequests = stored.counts()[1];
        this.writeBytes = stored.counts()[2];
        this.writeRequests = stored.counts()[3];
        this.version = stored.version();
        stored();
    }

    /** Makes this a standard drive of the library: readable by all, shared, with its media. */
    void makeStandard(String media, String format, Long rawSize) {
        this.standard = true;
        this.readers = DriveSettings.ALL_USERS;
        this.claimType = ClaimType.SHARED;
        this.media = media;
        this.format = format;
        this.rawSize = rawSize;
    }

    void apply(DriveSettings settings) {
        if (settings.name() != null) {
            name = settings.name();
        }
        if (settings.claimType() != null) {
            claimType = settings.claimType();
        }
        if (settings.readers() != null) {
            readers = settings.readers();
        }
        if (settings.tags() != null) {
            tags = settings.tags();
        }
        if (settings.userKeys() != null) {
            userKeys = settings.userKeys();
        }
    }

    void resize(long newSize) {
        this.size = newSize;
    }

    void imagingError(String error) {
        this.imagingError = error;
    }

    /** May {@code user} see this drive's info? Their own drives and the standard ones. */
    public boolean visibleTo(UUID user) {
        return owner.equals(user) || standard;
    }

    /** May {@code user} read this drive's bytes (or image from it)? */
    public boolean readableBy(UUID user) {
        return owner.equals(user) || standard || DriveSettings.listsReader(readers, user);
    }

    /**
     * May a guest of {@code user}'s write this drive? Only its owner's, and never a standard drive:
     * every other guest that may read it (a reader's, anyone's for the library) gets it read-only.
     */
    public boolean writableBy(UUID user) {
        return owner.equals(user) && !standard;
    }

    @Override
    public UUID getId() {
        return id;
    }

    public UUID id() { return id; }
    public UUID owner() { return owner; }
    public String name() { return name; }
    public long size() { return size; }
    public ClaimType claimType() { return claimType; }
    public String readers() { return readers; }
    public String tags() { return tags; }
    public String userKeys() { return userKeys; }
    public Cipher cipher() { return cipher; }
    public String storageNode() { return storageNode; }
    public boolean standard() { return standard; }
    public String media() { return media; }
    public String format() { return format; }
    public Long rawSize() { return rawSize; }
    public String imagingError() { return imagingError; }
    public long readBytes() { return readBytes; }
    public long readRequests() { return readRequests; }
    public long writeBytes() { return writeBytes; }
    public long writeRequests() { return writeRequests; }
    public Instant createdAt() { return createdAt; }
}
