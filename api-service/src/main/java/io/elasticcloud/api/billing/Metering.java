package io.elasticcloud.api.billing;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Charges each account, interval after interval, for what it holds beyond its subscriptions.
 *
 * <p>Intervals are {@code elastic.billing.metering-interval} long, aligned on multiples of it
 * since the epoch. The watermark ({@code billing_meter}, "metered until") says where the next one
 * starts; each interval is charged in one transaction that holds the watermark's row lock, writes
 * one ledger entry per account it charges and moves the watermark: so an interval is charged once,
 * across restarts and with several API instances (the second waits for the lock, then finds the
 * watermark moved). The unique key (account, interval start) of the ledger refuses a second entry
 * even so.
 *
 * <p>What is held is read when the interval is charged (normally within one poll of its end;
 * after a stop, the intervals missed are charged at what is held when metering resumes). A
 * subscription that starts or ends inside an interval covers exactly its part of it. While billing
 * is off, the watermark follows the clock and nothing is charged, then or later.
 *
 * <p>It runs every {@code elastic.billing.metering-poll} ({@link BillingConfiguration}).
 */
@Component
public class Metering {
    private static final Logger log = LoggerFactory.getLogger(Metering.class);
    /** At most this many intervals per run, so that a long catch-up does not hold a thread for ever. */
    static final int MAX_INTERVALS_PER_RUN = 1000;
    static final String ACTOR = "metering";

    private final BillingProperties properties;
    private final MeterMarks marks;
    private final Coverage coverage;
    private final Balances balances;
    private final Ledger ledger;
    private final TransactionTemplate tx;
    private final Clock clock;

    public Metering(BillingProperties properties, MeterMarks marks, Coverage coverage, Balances balances, Ledger ledger,
                    TransactionTemplate tx, @Qualifier(BillingConfiguration.CLOCK) Optional<Clock> clock) {
        this.properties = properties;
        this.marks = marks;
        this.coverage = coverage;
        this.balances = balances;
        this.ledger = ledger;
        this.tx = tx;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** One scheduled run; a failure is logged and the next run starts from the same interval. */
    void scheduled() {
        try {
            meterDue();
        } catch (RuntimeException e) {
            log.warn("metering failed; it goes on from the same interval at the next run: {}", e.getMessage(), e);
        }
    }

    /** Charges every interval that has ended and was not charged yet; answers how many it charged. */
    public int meterDue() {
        Instant now = clock.instant();
        int metered = 0;
        while (metered < MAX_INTERVALS_PER_RUN && Boolean.TRUE.equals(tx.execute(status -> meterNext(now)))) {
            metered++;
        }
        return metered;
    }

    /** Where metering has charged up to; null before its first run. */
    public Instant meteredUntil() {
        return tx.execute(status -> marks.read().until());
    }

    private boolean meterNext(Instant now) {
        MeterMark mark = marks.lock();
        long step = properties.meteringInterval().toSeconds();
        Instant current = floor(now, step);
        if (mark.until() == null || !properties.enabled()) {
            if (mark.until() == null || mark.until().isBefore(current)) {
                mark.until(current);
            }
            return false;
        }
        Instant start = mark.until();
        Instant end = floor(start, step).plusSeconds(step);
        if (end.isAfter(now)) {
            return false;
        }
        charge(start, end, now);
        mark.until(end);
        return true;
    }

    private void charge(Instant start, Instant end, Instant now) {
        // Accounts in one order (Coverage.charges), so that two transactions locking several never wait on each other in a cycle.
        for (Coverage.Charge owed : coverage.charges(start, end)) {
            UUID account = owed.account();
            Usage usage = owed.held();
            List<Subscription> covering = owed.covering();
            BigDecimal amount = owed.amount();
            if (!balances.tryLock(account)) {
                log.warn("metering: {} holds {} but is no account; not charged", account, usage.describe());
                continue;
            }
            if (ledger.existsByAccountAndPeriodStart(account, start)) {
                continue;
            }
            balances.post(account, now, LedgerEntry.Posting.usage(amount.negate(), start, end,
                    "held " + usage.describe() + (covering.isEmpty() ? "" : "; less " + covering.size()
                            + (covering.size() == 1 ? " subscription" : " subscriptions")), ACTOR));
        }
    }

    private static Instant floor(Instant at, long stepSeconds) {
        return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), stepSeconds) * stepSeconds);
    }
}
