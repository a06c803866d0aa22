package io.elasticcloud.api.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/** One change to an account, as the append-only audit log keeps it. */
@Entity
@Immutable
@Table(name = "account_audit")
public class AuditEntry {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(nullable = false)
    private Instant at;
    @Column(nullable = false)
    private String actor;
    @Column(nullable = false)
    private String action;
    @Column(name = "account_id", nullable = false)
    private UUID account;
    private String detail;

    protected AuditEntry() {
    }

    AuditEntry(Instant at, String actor, String action, UUID account, String detail) {
        this.at = at;
        this.actor = actor;
        this.action = action;
        this.account = account;
        this.detail = detail;
    }

    public Long id() { return id; }
    public Instant at() { return at; }
    public String actor() { return actor; }
    public String action() { return action; }
    public UUID account() { return account; }
    public String detail() { return detail; }
}
