package io.elasticcloud.api.billing;

import java.math.BigDecimal;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Billing's configuration ({@code elastic.billing.*}); docs/configuration.md explains each. Prices
 * are exact decimals in {@link #currency}; a month is {@link PriceList#MONTH} (30 days).
 *
 * @param enabled            whether adding commands are checked and usage is charged (off by
 *                           default: the single host then runs as if every account could pay)
 * @param currency           the currency of balances and prices, a label (ISO 4217 code)
 * @param cpuMhzHour         price of one MHz of CPU for an hour
 * @param memMbHour          price of one MB of memory for an hour
 * @param driveGbMonth       price of one GB (2^30 bytes) of drive for a month
 * @param ipMonth            price of one static IP for a month
 * @param vlanMonth          price of one VLAN for a month
 * @param minimumPeriod      how long the balance must be able to pay for what subscriptions do
 *                           not cover, for an adding command to pass
 * @param meteringInterval   the length of one metered interval (whole seconds; intervals are
 *                           aligned on multiples of it since the epoch)
 * @param meteringPoll       how often the metering job looks for intervals that have ended
 */
@ConfigurationProperties("elastic.billing")
public record BillingProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("GBP") String currency,
        @DefaultValue("0.000008") BigDecimal cpuMhzHour,
        @DefaultValue("0.00001") BigDecimal memMbHour,
        @DefaultValue("0.10") BigDecimal driveGbMonth,
        @DefaultValue("2.00") BigDecimal ipMonth,
        @DefaultValue("5.00") BigDecimal vlanMonth,
        @DefaultValue("PT24H") Duration minimumPeriod,
        @DefaultValue("PT5M") Duration meteringInterval,
        @DefaultValue("30s") Duration meteringPoll) {

    public BillingProperties {
        for (BigDecimal price : new BigDecimal[] {cpuMhzHour, memMbHour, driveGbMonth, ipMonth, vlanMonth}) {
            if (price.signum() < 0) {
                throw new IllegalArgumentException("elastic.billing: prices cannot be negative, not " + price);
            }
        }
        if (minimumPeriod.isNegative()) {
            throw new IllegalArgumentException("elastic.billing.minimum-period cannot be negative");
        }
        if (meteringInterval.toSeconds() < 1 || meteringInterval.toNanosPart() != 0) {
            throw new IllegalArgumentException("elastic.billing.metering-interval must be whole seconds, at least 1s");
        }
    }
}
