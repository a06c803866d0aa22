package io.elasticcloud.api.host;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A host an admin put into maintenance: no new server is placed there while the row exists. */
@Entity
@Table(name = "host_maintenance")
public class HostMaintenance {
    @Id
    @Column(name = "host_node")
    private String node;
    @Column(nullable = false)
    private Instant since;
    @Column(nullable = false)
    private String actor;

    protected HostMaintenance() {
    }

    HostMaintenance(String node, Instant since, String actor) {
        this.node = node;
        this.since = since;
        this.actor = actor;
    }

    public String node() { return node; }
    public Instant since() { return since; }
    public String actor() { return actor; }
}
