package io.elasticcloud.api.billing;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;

/**
 * Billing's wiring. Its clock is a {@link java.time.Clock} bean qualified {@value #CLOCK} (the
 * system clock when there is none): tests move billing hours ahead without the hosts' heartbeats,
 * which are judged by the other services' clock, looking hours old.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BillingProperties.class)
public class BillingConfiguration {
    public static final String CLOCK = "billingClock";

    @Bean
    PriceList priceList(BillingProperties properties) {
        return PriceList.of(properties);
    }

    /**
     * {@link Metering} every {@code elastic.billing.metering-poll}, the first run that long after the
     * start: the interval as {@link BillingProperties} binds it, default included, in one place.
     */
    @Bean
    SchedulingConfigurer meteringSchedule(Metering metering, BillingProperties properties) {
        return tasks -> tasks.addFixedDelayTask(
                new FixedDelayTask(metering::scheduled, properties.meteringPoll(), properties.meteringPoll()));
    }
}
