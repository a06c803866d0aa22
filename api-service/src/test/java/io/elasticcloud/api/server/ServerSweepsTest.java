package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The servers' sweeps run on the intervals bound once (elastic.servers.*), defaults 5 s and 60 s. */
class ServerSweepsTest {
    private final ServerReconciler reconciler = mock(ServerReconciler.class);
    private final ServerNetwork network = mock(ServerNetwork.class);
    private final VolumeExports exports = mock(VolumeExports.class);
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Scheduling.class, ServerSweeps.class)
            .withBean(ServerReconciler.class, () -> reconciler)
            .withBean(ServerNetwork.class, () -> network)
            .withBean(VolumeExports.class, () -> exports);

    @Test
    void eachSweepRunsEveryConfiguredInterval() {
        runner.withPropertyValues("elastic.servers.sweep-interval=50ms", "elastic.servers.export-sweep-interval=60ms")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    verify(reconciler, timeout(5_000).atLeast(2)).markSilentHostsDead();
                    verify(network, timeout(5_000).atLeast(2)).sweep();
                    verify(exports, timeout(5_000).atLeast(2)).sweep();
                });
    }

    @Test
    void byDefaultTheFirstSweepsComeAnIntervalAfterTheStart() {
        runner.run(context -> {
            ServerSweeps.Settings settings = context.getBean(ServerSweeps.Settings.class);
            assertThat(settings.sweepInterval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(settings.exportSweepInterval()).isEqualTo(Duration.ofSeconds(60));
            Thread.sleep(300);
            verify(reconciler, never()).markSilentHostsDead();
            verify(exports, never()).sweep();
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Scheduling {
    }
}
