package io.elasticcloud.api;

import io.elasticcloud.protocol.settings.DataDirectory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
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
}
