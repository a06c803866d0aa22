package io.elasticcloud.api.billing;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;

/**
 * One change to a balance, append-only: {@code credit} and {@code debit} by an admin, {@code usage}
 * charged by metering for the interval {@code periodStart}–{@code periodEnd}. {@code balance} is
 * the balance right after it.
 */
@Entity
@Immutable
@Table(name = "billing_ledger")
public class LedgerEntry {
    public static final String CREDIT = "credit";
    public static final String DEBIT = "debit";
    public static final String USAGE = "usage";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Column(name = "account_id", nullable = false)
    private UUID account;
    @Column(nullable = false)
    private Instant at;
    @Column(nullable = false)
    private String kind;
    @Column(nullable = false, precision = 24, scale = PriceList.SCALE)
    private BigDecimal amount;
    @Column(nullable = false, precision = 24, scale = PriceList.SCALE)
    private BigDecimal balance;
    @Column(name = "period_start")
    private Instant periodStart;
    @Column(name = "period_end")
    private Instant periodEnd;
    @Column(nullable = false)
    private String description;
    @Column(nullable = false)
    private String actor;

    protected LedgerEntry() {
    }

    LedgerEntry(UUID account, Instant at, String kind, BigDecimal amount, BigDecimal balance, Instant periodStart,
                Instant periodEnd, String description, String actor) {
        this.account = account;
        this.at = at;
        this.kind = kind;
        this.amount = amount;
        this.balance = balance;
        this.periodStart = periodStart;
        this.periodEnd = periodEnd;
        this.description = description.length() > 256 ? description.substring(0, 256) : description;
        this.actor = actor;
    }

    public Long id() { return id; }
    public UUID account() { return account; }
    public Instant at() { return at; }
    public String kind() { return kind; }
    public BigDecimal amount() { return amount; }
    public BigDecimal balance() { return balance; }
    public Instant periodStart() { return periodStart; }
    public Instant periodEnd() { return periodEnd; }
    public String description() { return description; }
    public String actor() { return actor; }
}
