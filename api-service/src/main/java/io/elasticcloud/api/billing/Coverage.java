package io.elasticcloud.api.billing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What accounts hold set against what their subscriptions cover, and what the rest costs: the
 * one question both the check before an adding command ({@link BillingService#check}) and the
 * charge of an interval ({@link Metering}) ask, over the same three sources (the {@link Holdings},
 * the subscriptions and the {@link PriceList}). Reads only: locking accounts and posting to the
 * ledger stay with the callers, in their transactions.
 */
@Component
class Coverage {
    private final Holdings holdings;
    private final SubscriptionRepository subscriptions;
    private final PriceList prices;

    Coverage(Holdings holdings, SubscriptionRepository subscriptions, PriceList prices) {
        this.holdings = holdings;
        this.subscriptions = subscriptions;
        this.prices = prices;
    }

    /** What the account holds now. */
    Usage held(UUID account) {
        return holdings.of(account);
    }

    /** What the account's subscriptions active at {@code at} cover together. */
    Usage subscribedAt(UUID account, Instant at) {
        Usage covered = Usage.NONE;
        for (Subscription subscription : subscriptions.activeAt(account, at)) {
            covered = covered.plus(subscription.covers());
        }
        return covered;
    }

    /** What the account would hold with {@code added} on top that its subscriptions at {@code at} do not cover. */
    Usage uncovered(UUID account, Usage added, Instant at) {
        Usage total = holdings.of(account).plus(added.positive());
        return total.minus(subscribedAt(account, at)).positive();
    }

    /** What holding {@code usage} for {@code time} costs. */
    BigDecimal cost(Usage usage, Duration time) {
        return prices.cost(usage, time);
    }

    /** Every subscription of the account, oldest first. */
    List<Subscription> subscriptions(UUID account) {
        return subscriptions.findByAccountOrderByStartAscIdAsc(account);
    }

    Subscription add(Subscription subscription) {
        return subscriptions.save(subscription);
    }

    /** What one account owes for an interval: what it held, the subscriptions overlapping it, the amount. */
    record Charge(UUID account, Usage held, List<Subscription> covering, BigDecimal amount) {
    }

    /**
     * The charges of {@code [start, end)} for what every account holds now, less its subscriptions
     * during the interval; accounts that owe nothing are left out. Accounts come in one order, so
     * that a transaction locking several of them never waits on another in a cycle.
     */
    List<Charge> charges(Instant start, Instant end) {
        Map<UUID, Usage> held = holdings.all();
        Map<UUID, List<Subscription>> subscribed = subscriptions.overlapping(start, end).stream()
                .collect(Collectors.groupingBy(Subscription::account));
        List<Charge> charges = new ArrayList<>();
        for (UUID account : new TreeSet<>(held.keySet())) {
            Usage usage = held.get(account);
            List<Subscription> covering = subscribed.getOrDefault(account, List.of());
            BigDecimal amount = prices.charge(usage, covering, start, end);
            if (amount.signum() != 0) {
                charges.add(new Charge(account, usage, covering, amount));
            }
        }
        return charges;
    }
}
