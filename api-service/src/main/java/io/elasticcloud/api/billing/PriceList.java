package io.elasticcloud.api.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;

/**
 * What holding something costs, in exact decimals. A price is per hour (CPU, memory) or per month
 * (drive, IP, VLAN); a month is {@link #MONTH}. A cost is computed exactly and rounded once, half
 * up, to {@link #SCALE} decimal places: {@link #amount} of a sum of {@link #monthSeconds} terms,
 * so that a cost made of several pieces of time (an interval cut by subscriptions that start or
 * end inside it) is rounded once, not per piece.
 */
public record PriceList(BigDecimal cpuMhzHour, BigDecimal memMbHour, BigDecimal driveGbMonth, BigDecimal ipMonth,
                        BigDecimal vlanMonth) {
    /** A month of the price list: 30 days, 720 hours. */
    public static final Duration MONTH = Duration.ofDays(30);
    /** Decimal places of every amount: balances, ledger entries, costs. */
    public static final int SCALE = 8;
    private static final BigDecimal HOURS_PER_MONTH = BigDecimal.valueOf(MONTH.toHours());
    private static final BigDecimal SECONDS_PER_MONTH = BigDecimal.valueOf(MONTH.toSeconds());

    public static PriceList of(BillingProperties properties) {
        return new PriceList(properties.cpuMhzHour(), properties.memMbHour(), properties.driveGbMonth(),
                properties.ipMonth(), properties.vlanMonth());
    }

    /** The exact cost of holding {@code usage} for a month. */
    public BigDecimal perMonth(Usage usage) {
        BigDecimal hourly = cpuMhzHour.multiply(BigDecimal.valueOf(usage.cpuMhz()))
                .add(memMbHour.multiply(BigDecimal.valueOf(usage.memMb())));
        return hourly.multiply(HOURS_PER_MONTH)
                .add(driveGbMonth.multiply(usage.diskGb()))
                .add(ipMonth.multiply(BigDecimal.valueOf(usage.ips())))
                .add(vlanMonth.multiply(BigDecimal.valueOf(usage.vlans())));
    }

    /** The exact cost of holding {@code usage} for {@code time}, times the seconds of a month. */
    public BigDecimal monthSeconds(Usage usage, Duration time) {
        return perMonth(usage).multiply(seconds(time));
    }

    /** A sum of {@link #monthSeconds} as an amount: divided once, rounded once. */
    public static BigDecimal amount(BigDecimal monthSeconds) {
        return monthSeconds.divide(SECONDS_PER_MONTH, SCALE, RoundingMode.HALF_UP);
    }

    /** The cost of holding {@code usage} for {@code time}, rounded to {@link #SCALE} places. */
    public BigDecimal cost(Usage usage, Duration time) {
        return amount(monthSeconds(usage, time));
    }

    /**
     * What holding {@code held} from {@code start} to {@code end} costs beyond what the
     * subscriptions {@code covering} cover: the time is cut where a subscription starts or ends,
     * each piece costs what is uncovered during it, and the sum is rounded once.
     */
    public BigDecimal charge(Usage held, List<Subscription> covering, Instant start, Instant end) {
        TreeSet<Instant> cuts = new TreeSet<>(List.of(start, end));
        for (Subscription subscription : covering) {
            for (Instant at : List.of(subscription.start(), subscription.end())) {
                if (at.isAfter(start) && at.isBefore(end)) {
                    cuts.add(at);
                }
            }
        }
        BigDecimal total = BigDecimal.ZERO;
        Instant from = null;
        for (Instant to : cuts) {
            if (from != null) {
                Usage covered = Usage.NONE;
                for (Subscription subscription : covering) {
                    if (subscription.activeAt(from)) {
                        covered = covered.plus(subscription.covers());
                    }
                }
                total = total.add(monthSeconds(held.minus(covered).positive(), Duration.between(from, to)));
            }
            from = to;
        }
        return amount(total);
    }

    private static BigDecimal seconds(Duration time) {
        return BigDecimal.valueOf(time.getSeconds()).add(BigDecimal.valueOf(time.getNano(), 9));
    }
}
