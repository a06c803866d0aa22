package io.elasticcloud.api.billing;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
}
