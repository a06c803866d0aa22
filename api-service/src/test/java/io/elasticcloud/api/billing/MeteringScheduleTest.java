package io.elasticcloud.api.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Metering runs on the poll interval BillingProperties binds (elastic.billing.metering-poll, default 30s). */
class MeteringScheduleTest {
    private final Metering metering = mock(Metering.class);
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Scheduling.class, BillingConfiguration.class)
            .withBean(Metering.class, () -> metering);

    @Test
    void meteringRunsEveryConfiguredPoll() {
        runner.withPropertyValues("elastic.billing.metering-poll=50ms").run(context -> {
            assertThat(context).hasNotFailed();
            verify(metering, timeout(5_000).atLeast(2)).scheduled();
        });
    }

    @Test
    void byDefaultTheFirstRunIsThirtySecondsAfterTheStart() {
        runner.run(context -> {
            assertThat(context.getBean(BillingProperties.class).meteringPoll()).isEqualTo(Duration.ofSeconds(30));
            Thread.sleep(300);
            verify(metering, never()).scheduled();
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Scheduling {
    }
}
