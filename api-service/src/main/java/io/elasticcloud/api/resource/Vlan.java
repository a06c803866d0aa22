package io.elasticcloud.api.resource;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/** A customer's private network, with the VXLAN identifier the hosts carry it by. */
@Entity
@Table(name = "vlan")
public class Vlan extends OwnedResource implements Persistable<UUID> {
    @Id
    private UUID id;
    @Column(nullable = false)
    private int vni;

    protected Vlan() {
    }

    Vlan(UUID id, UUID owner, int vni, Instant createdAt) {
        super(owner, createdAt);
        this.id = id;
        this.vni = vni;
    }

    @Override
    public ResourceType type() {
        return ResourceType.VLAN;
    }

    @Override
    public String resource() {
        return id.toString();
    }

    @Override
    public UUID getId() {
        return id;
    }

    public UUID id() { return id; }
    /** The VXLAN network identifier, 1 .. 16777215, held by this VLAN alone (reused only after a quarantine, {@link Vnis}). */
    public int vni() { return vni; }
}
