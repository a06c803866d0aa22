package io.elasticcloud.api.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A customer: the UUID they authenticate with and a hash of their API key. */
@Entity
@Table(name = "account")
public class Account {
    @Id
    private UUID id;

    @Column(name = "key_hash", nullable = false)
    private String keyHash;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Account() {
    }

    Account(UUID id, String keyHash, Instant createdAt) {
        this.id = id;
        this.keyHash = keyHash;
        this.enabled = true;
        this.createdAt = createdAt;
    }

    void enabled(boolean enabled) {
        this.enabled = enabled;
    }

    void keyHash(String keyHash) {
        this.keyHash = keyHash;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public UUID id() {
        return id;
    }

    public String keyHash() {
        return keyHash;
    }

    public boolean enabled() {
        return enabled;
    }
}
