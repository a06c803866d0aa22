package io.elasticcloud.api.resource;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The VNI of a destroyed VLAN, and when it was released. */
@Entity
@Table(name = "vni_released")
class ReleasedVni {
    @Id
    private int vni;
    @Column(name = "released_at", nullable = false)
    private Instant releasedAt;

    protected ReleasedVni() {
    }

    ReleasedVni(int vni, Instant releasedAt) {
        this.vni = vni;
        this.releasedAt = releasedAt;
    }
}
