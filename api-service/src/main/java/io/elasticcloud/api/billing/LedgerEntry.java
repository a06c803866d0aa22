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

    /**
     * What is posted to a balance, before it is: the entry is this, at a time, with the balance
     * after it ({@link Balances#post}).
     *
     * @param periodStart the start of the metered interval a {@code usage} entry charges; else null
     * @param periodEnd   its end; else null
     */
    record Posting(String kind, BigDecimal amount, Instant periodStart, Instant periodEnd, String description,
                   String actor) {

        /** An admin's {@code credit} or {@code debit}: no interval. */
        static Posting byAdmin(String kind, BigDecimal amount, String description, String actor) {
            return new Posting(kind, amount, null, null, description, actor);
        }

        /** Metering's charge ({@code usage}) for {@code [start, end)}. */
        static Posting usage(BigDecimal amount, Instant start, Instant end, String description, String actor) {
            return new Posting(USAGE, amount, start, end, description, actor);
        }
    }

    /** The amount is kept at {@link PriceList#SCALE} places; the description at most 256 characters. */
    LedgerEntry(UUID account, Instant at, Posting posting, BigDecimal balance) {
        this.account = account;
        this.at = at;
        this.kind = posting.kind();
        this.amount = posting.amount().setScale(PriceList.SCALE);
        this.balance = balance;
        this.periodStart = posting.periodStart();
        this.periodEnd = posting.periodEnd();
        String description = posting.description();
        this.description = description.length() > 256 ? description.substring(0, 256) : description;
        this.actor = posting.actor();
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
