package io.elasticcloud.api.billing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Billing's clock in the tests: only what asks for {@link BillingConfiguration#CLOCK} gets it
 * (not a default candidate), so moving it does not touch hosts' heartbeats or key caching.
 */
@TestConfiguration(proxyBeanMethods = false)
public class BillingTestClock {
    @Bean(name = BillingConfiguration.CLOCK, defaultCandidate = false)
    MutableClock billingClock() {
        return new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }
}
