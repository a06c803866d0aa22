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

/**
 * One change made by an admin, as the append-only audit log keeps it: to an account ({@link
 * #account()}) or to a host ({@link #host()}, e.g. maintenance); exactly one of the two is set.
 */
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
    @Column(name = "account_id")
    private UUID account;
    @Column(name = "host_node")
    private String host;
    private String detail;

    protected AuditEntry() {
    }

    AuditEntry(Instant at, String actor, String action, UUID account, String detail) {
        this(at, actor, action, account, null, detail);
    }

    private AuditEntry(Instant at, String actor, String action, UUID account, String host, String detail) {
        this.at = at;
        this.actor = actor;
        this.action = action;
        this.account = account;
        this.host = host;
        this.detail = detail;
    }

    /** An entry about a hypervisor host rather than an account. */
    public static AuditEntry ofHost(Instant at, String actor, String action, String host, String detail) {
        return new AuditEntry(at, actor, action, null, host, detail);
    }

    public Long id() { return id; }
    public Instant at() { return at; }
    public String actor() { return actor; }
    public String action() { return action; }
    /** The account changed, or null for an entry about a host. */
    public UUID account() { return account; }
    /** The host changed, or null for an entry about an account. */
    public String host() { return host; }
    public String detail() { return detail; }
}
