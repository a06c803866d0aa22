package io.elasticcloud.api.billing;

import io.elasticcloud.api.account.AccountService;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The billing check before every command that adds to what an account holds, and the admins'
 * changes (credit, debit, subscribe), each written to the account audit log in its transaction.
 *
 * <p>{@link #check} is the hook of every adding command: drives (create, grow), servers (create,
 * start, raising {@code cpu} or {@code mem}) and resources (static IPs and VLANs: their create
 * calls {@code check(user, Usage.ips(1))} or {@code Usage.vlans(1)} in the transaction that
 * records the resource, and their feature provides a {@link HeldResources} bean counting them).
 */
@Service
public class BillingService {
    private final BillingProperties properties;
    private final Coverage coverage;
    private final Balances balances;
    private final Ledger ledger;
    private final AccountService accounts;
    private final Clock clock;

    public BillingService(BillingProperties properties, Coverage coverage, Balances balances, Ledger ledger,
                          AccountService accounts, @Qualifier(BillingConfiguration.CLOCK) Optional<Clock> clock) {
        this.properties = properties;
        this.coverage = coverage;
        this.balances = balances;
        this.ledger = ledger;
        this.accounts = accounts;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * Passes when the account can hold {@code added} on top of what it holds: its subscriptions
     * cover the new total, or its balance pays for the part they do not cover for the minimum
     * period. Otherwise {@code 402 billing}, saying what is short. Must run in the transaction
     * that then records the new holding: it locks the account's row until that transaction ends,
     * so parallel commands of one account (on any API instance) are checked one after the other,
     * each seeing what the one before it committed.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void check(UUID account, Usage added) {
        if (!properties.enabled() || !added.anyPositive()) {
            return;
        }
        balances.lock(account);
        Instant now = clock.instant();
        Usage uncovered = coverage.uncovered(account, added, now);
        if (uncovered.isNone()) {
            return;
        }
        BigDecimal needed = coverage.cost(uncovered, properties.minimumPeriod());
        BigDecimal balance = balances.balance(account);
        if (needed.compareTo(balance) > 0) {
            throw new ElasticException(ErrorType.BILLING, String.format(
                    "balance %s %s does not pay for %s beyond subscriptions for %s (%s %s needed)",
                    balance.toPlainString(), properties.currency(), uncovered.describe(),
                    period(properties.minimumPeriod()), needed.toPlainString(), properties.currency()));
        }
    }

    /** Adds {@code amount} (positive) to the balance. */
    @Transactional
    public LedgerEntry credit(String actor, UUID account, BigDecimal amount, String description) {
        return post(actor, account, LedgerEntry.CREDIT, amount, description);
    }

    /** Takes {@code amount} (positive) from the balance: a correction; the balance may go below 0. */
    @Transactional
    public LedgerEntry debit(String actor, UUID account, BigDecimal amount, String description) {
        return post(actor, account, LedgerEntry.DEBIT, amount.negate(), description);
    }

    private LedgerEntry post(String actor, UUID account, String kind, BigDecimal amount, String description) {
        balances.lock(account);
        LedgerEntry entry = balances.post(account, clock.instant(),
                LedgerEntry.Posting.byAdmin(kind, amount, description == null ? kind : description, actor));
        accounts.audit(actor, "billing-" + kind, account, amount.toPlainString() + " " + properties.currency()
                + (description == null ? "" : ": " + description));
        return entry;
    }

    /** Adds a subscription to these amounts (drive in whole GB) from {@code start} (inclusive) to {@code end}. */
    @Transactional
    public Subscription subscribe(String actor, UUID account, long cpuMhz, long memMb, long diskGb, long ips,
                                  long vlans, Instant start, Instant end) {
        balances.lock(account);
        Subscription subscription = coverage.add(new Subscription(UUID.randomUUID(), account,
                new Subscription.Covered(cpuMhz, memMb, diskGb, ips, vlans), start, end, clock.instant(), actor));
        accounts.audit(actor, "billing-subscribe", account, String.format(
                "subscription %s: cpu %d MHz, mem %d MB, disk %d GB, %d IPs, %d VLANs from %s to %s",
                subscription.id(), cpuMhz, memMb, diskGb, ips, vlans, start, end));
        return subscription;
    }

    /** An account's balance, what it holds and is subscribed to now, its subscriptions and ledger. */
    public record Statement(UUID account, boolean enabled, String currency, BigDecimal balance, Usage held,
                            Usage subscribed, List<Subscription> subscriptions, List<LedgerEntry> ledger) {
    }

    /**
     * The account's statement: with {@code everything}, every subscription and ledger entry; else
     * the subscriptions not yet ended and the last 100 ledger entries, oldest first.
     */
    @Transactional(readOnly = true)
    public Statement statement(UUID account, boolean everything) {
        accounts.get(account);
        Instant now = clock.instant();
        List<Subscription> subscribed = coverage.subscriptions(account).stream()
                .filter(s -> everything || s.end().isAfter(now)).toList();
        List<LedgerEntry> entries;
        if (everything) {
            entries = ledger.findByAccountOrderByIdAsc(account);
        } else {
            entries = new ArrayList<>(ledger.findTop100ByAccountOrderByIdDesc(account));
            Collections.reverse(entries);
        }
        return new Statement(account, properties.enabled(), properties.currency(), balances.balance(account),
                coverage.held(account), coverage.subscribedAt(account, now), subscribed, entries);
    }

    /** {@code 24h}, {@code 1h30m}: a duration for people. */
    static String period(Duration duration) {
        return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
