package io.elasticcloud.api.resource;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/**
 * A public address held by someone: a customer's static IP resource ({@link #server()} null), or
 * the temporary address of a running server. Always inserted, never merged ({@link OwnedResource}):
 * saving one whose address is taken fails on the primary key instead of overwriting the holder.
 */
@Entity
@Table(name = "ip_address")
public class IpAddress extends OwnedResource implements Persistable<String> {
    @Id
    private String address;
    @Column(nullable = false)
    private String pool;
    @Column(name = "server_id")
    private UUID server;
    /** When its server's guest began to be stopped by us; null while it runs (a temporary address) or for a static IP. */
    @Column(name = "ended_at")
    private Instant endedAt;

    protected IpAddress() {
    }

    IpAddress(String address, String pool, UUID owner, UUID server, Instant createdAt) {
        super(owner, createdAt);
        this.address = address;
        this.pool = pool;
        this.server = server;
    }

    @Override
    public String getId() {
        return address;
    }

    @Override
    public ResourceType type() {
        return ResourceType.IP;
    }

    @Override
    public String resource() {
        return address;
    }

    public String address() { return address; }
    public String pool() { return pool; }
    /** The server holding it as its temporary address; null for a static IP. */
    public UUID server() { return server; }
}
