package io.elasticcloud.api;

import io.elasticcloud.protocol.settings.DataDirectory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The API service's own wiring. The application class lives elsewhere (the single-host launcher
 * or the API service's own main), so entities and repositories are named here explicitly.
 */
@Configuration(proxyBeanMethods = false)
@EntityScan("io.elasticcloud.api")
@EnableJpaRepositories("io.elasticcloud.api")
@EnableConfigurationProperties({ApiProperties.class, DataDirectory.class})
@EnableScheduling
public class ApiServiceConfiguration {
    /**
     * The rows of one table a transaction writes go to the database in one batch: a server's keys
     * are a row each, and a create wrote them one statement (one round trip) at a time. Here rather
     * than in a settings file, so that every application the API runs in (the launcher, the tests)
     * writes the same way.
     */
    @Bean
    HibernatePropertiesCustomizer batchedWrites() {
        return properties -> {
            properties.put("hibernate.jdbc.batch_size", 32);
            properties.put("hibernate.order_inserts", true);
            properties.put("hibernate.order_updates", true);
        };
    }
}
