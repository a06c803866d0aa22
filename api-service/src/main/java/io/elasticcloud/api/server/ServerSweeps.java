package io.elasticcloud.api.server;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;

/**
 * The servers' periodic sweeps, each every interval of {@link Settings} (bound once, here), first
 * one interval after the start: silent hosts' servers marked {@code dead} and temporary addresses
 * of servers no longer running given back (every {@code sweep-interval}), storage nodes' NBD
 * exports checked against running servers (every {@code export-sweep-interval}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServerSweeps.Settings.class)
class ServerSweeps {

    /**
     * @param sweepInterval       {@code elastic.servers.sweep-interval}
     * @param exportSweepInterval {@code elastic.servers.export-sweep-interval}
     */
    @ConfigurationProperties("elastic.servers")
    record Settings(@DefaultValue("5s") Duration sweepInterval, @DefaultValue("60s") Duration exportSweepInterval) {
    }

    @Bean
    SchedulingConfigurer serverSweepSchedule(ServerReconciler reconciler, ServerNetwork network, VolumeExports exports,
                                      Settings settings) {
        return tasks -> {
            tasks.addFixedDelayTask(new FixedDelayTask(reconciler::markSilentHostsDead, settings.sweepInterval(),
                    settings.sweepInterval()));
            tasks.addFixedDelayTask(new FixedDelayTask(network::sweep, settings.sweepInterval(), settings.sweepInterval()));
            tasks.addFixedDelayTask(new FixedDelayTask(exports::sweep, settings.exportSweepInterval(),
                    settings.exportSweepInterval()));
        };
    }
}
