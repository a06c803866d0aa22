package io.elasticcloud.launcher;

import io.elasticcloud.agent.hypervisor.Hypervisor;
import io.elasticcloud.storage.StoragePools;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.FilterType;

/**
 * The one packaged process. Single-host mode (the default): the API service, a node agent and the
 * storage nodes in one process, joined by the in-process bus. Several hosts: the same jar with a
 * subset of the three on each host ({@link Roles}), joined by RabbitMQ. Only this module knows all
 * three; none of them imports another.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(basePackages = "io.elasticcloud", excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = RoleFilter.class)})
public class SingleHostApplication {
    /** Hikari's own setting, a system property only; {@code -D} on the command line still wins. */
    private static final String HIKARI_ALIVE_BYPASS = "com.zaxxer.hikari.aliveBypassWindowMs";

    public static void main(String[] args) {
        // Hikari hands out a connection used in the last 500 ms unchecked: with the database gone
        // (down, or cut off by the network) a call under load then waits for the driver's read
        // timeout (spring.datasource.hikari.data-source-properties.socketTimeout) instead of
        // failing in the pool's connection timeout. Every connection is checked when handed out.
        if (System.getProperty(HIKARI_ALIVE_BYPASS) == null) {
            System.setProperty(HIKARI_ALIVE_BYPASS, "0");
        }
        SpringApplication.run(SingleHostApplication.class, args);
    }

    /** H2 made its files during start with the process's umask: closed now, as at every start. */
    @Bean
    ApplicationRunner closeDatabaseFiles(Environment environment) {
        return args -> DataDirectoryModes.apply(environment);
    }

    @Bean
    static GuestReachCheck guestReachCheck(ObjectProvider<Hypervisor> hypervisor, ObjectProvider<StoragePools> pools) {
        return new GuestReachCheck(hypervisor, pools);
    }

    @Bean
    ApplicationRunner logRoles(Environment environment) {
        return args -> LoggerFactory.getLogger(SingleHostApplication.class).info("roles of this process: {}",
                Roles.of(environment));
    }
}
