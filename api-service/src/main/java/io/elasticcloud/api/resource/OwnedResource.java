package io.elasticcloud.api.resource;

import io.elasticcloud.api.common.InsertedRow;
import jakarta.persistence.Column;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;

/**
 * What every resource has: its owner, the customer's name, tags and {@code user:*} keys. A new one
 * is inserted, never merged ({@link InsertedRow}).
 */
@MappedSuperclass
public abstract class OwnedResource extends InsertedRow {
    @Column(name = "owner_id", nullable = false)
    private UUID owner;
    private String name;
    @Column(nullable = false)
    private String tags = "";
    @Column(name = "user_keys", nullable = false)
    private String userKeys = "";
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Version
    private long version;

    protected OwnedResource() {
    }

    protected OwnedResource(UUID owner, Instant createdAt) {
        this.owner = owner;
        this.createdAt = createdAt;
    }

    public abstract ResourceType type();

    /** Its name in the API: the address of an IP, the UUID of a VLAN. */
    public abstract String resource();

    /** Applies a create or set request (keys not given are kept). */
    void apply(ResourceRequest request) {
        if (request.name() != null) {
            name = request.name();
        }
        if (request.tags() != null) {
            tags = request.tags();
        }
        userKeys = request.userKeysOver(userKeys);
    }

    public UUID owner() { return owner; }
    public String name() { return name; }
    public String tags() { return tags; }
    public String userKeys() { return userKeys; }
    public Instant createdAt() { return createdAt; }
}
