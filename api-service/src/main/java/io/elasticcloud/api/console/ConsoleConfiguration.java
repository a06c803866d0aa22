package io.elasticcloud.api.console;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The browser console's wiring: its settings, and plain TCP to the guests' VNC. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
class ConsoleConfiguration {

    @Bean
    VncDialer vncDialer() {
        return VncDialer::tcp;
    }
}
