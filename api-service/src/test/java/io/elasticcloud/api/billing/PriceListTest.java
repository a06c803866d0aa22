package io.elasticcloud.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Costs in exact decimals, rounded once; pieces of an interval cut by subscriptions. */
class PriceListTest {
    private static final PriceList PRICES = new PriceList(new BigDecimal("0.0001"), new BigDecimal("0.0001"),
            new BigDecimal("7200"), new BigDecimal("72"), new BigDecimal("144"));
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static Subscription subscription(long cpu, Instant start, Instant end) {
        return new Subscription(UUID.randomUUID(), UUID.randomUUID(), new Subscription.Covered(cpu, 0, 0, 0, 0), start,
                end, start, "test");
    }

    @Test
    void costsAreExact() {
        assertThat(PRICES.cost(Usage.server(1000, 256), Duration.ofHours(24))).isEqualTo("3.01440000");
        assertThat(PRICES.cost(Usage.disk(1 << 20), Duration.ofHours(24))).isEqualTo("0.23437500");
        assertThat(PRICES.cost(new Usage(0, 0, 0, 1, 1), Duration.ofHours(1))).isEqualTo("0.30000000");
        assertThat(PRICES.cost(Usage.NONE, Duration.ofDays(365))).isEqualTo("0E-8");
        assertThat(PRICES.perMonth(Usage.disk(1L << 30))).isEqualByComparingTo("7200");
    }

    @Test
    void aCostIsRoundedOnceHalfUpToEightPlaces() {
        PriceList monthly = new PriceList(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ONE,
                BigDecimal.ZERO);
        // 1/720 = 0.001388888...
        assertThat(monthly.cost(Usage.ips(1), Duration.ofHours(1))).isEqualTo("0.00138889");
        // half a hundred-millionth rounds up: 0.000000005 of an IP-month
        assertThat(monthly.cost(Usage.ips(1), Duration.ofNanos(12_960_000))).isEqualTo("0.00000001");
        // one byte for a month is 2^-30: below the last place
        assertThat(monthly.cost(Usage.disk(1), PriceList.MONTH)).isEqualTo("0E-8");
        // three pieces of 20 minutes, each 0.00046296296..., are rounded as one hour, not three times
        Subscription none = subscription(0, T0.plus(Duration.ofMinutes(20)), T0.plus(Duration.ofMinutes(40)));
        assertThat(monthly.charge(Usage.ips(1), List.of(none), T0, T0.plusSeconds(3600))).isEqualTo("0.00138889");
    }

    @Test
    void subscriptionsCoverExactlyTheirPartOfAnInterval() {
        Usage held = Usage.server(1000, 0);
        Instant end = T0.plus(Duration.ofHours(1));
        assertThat(PRICES.charge(held, List.of(), T0, end)).isEqualTo("0.10000000");
        // 500 covered for the first half hour
        Subscription half = subscription(500, T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofMinutes(30)));
        assertThat(PRICES.charge(held, List.of(half), T0, end)).isEqualTo("0.07500000");
        // two overlapping ones add up; more than held covers all and no more
        Subscription late = subscription(800, T0.plus(Duration.ofMinutes(15)), end.plus(Duration.ofDays(1)));
        // 0-15: 500 uncovered; 15-30: 1300 covered (0); 30-60: 200 uncovered
        assertThat(PRICES.charge(held, List.of(half, late), T0, end)).isEqualTo("0.02250000");
    }

    @Test
    void usageArithmetic() {
        Usage held = new Usage(1000, 512, 3L << 30, 1, 0);
        Usage covered = new Usage(1500, 256, 1L << 30, 0, 2);
        assertThat(held.minus(covered).positive()).isEqualTo(new Usage(0, 256, 2L << 30, 1, 0));
        assertThat(held.minus(covered).positive().describe()).isEqualTo("mem 256 MB, disk 2 GB, 1 IP");
        assertThat(Usage.server(-5, 0).anyPositive()).isFalse();
        assertThat(Usage.disk(1 << 29).diskGb()).isEqualByComparingTo("0.5");
        assertThat(BillingService.period(Duration.ofMinutes(90))).isEqualTo("1h30m");
    }
}
