package io.elasticcloud.launcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * A process without the API role has no database and no public web server: it serves the bus
 * (agent, storage), the storage's own data path port, and its management port. So neither the
 * DataSource nor JPA nor Flyway is configured, Spring Security stays off, and the {@code
 * spring.datasource.*} defaults of application.yml are never read. Its one web server is the
 * management port ({@code elastic.management.port}, on {@code elastic.management.address},
 * loopback unless set): Actuator's health, metrics and Prometheus endpoints and nothing else, with
 * health's details shown to all who reach it, since no account exists there to authorize them.
 * The public port ({@code server.port}, {@code SERVER_PORT}) is never opened by such a process.
 */
public class RoleEnvironment implements EnvironmentPostProcessor {
    static final String SOURCE = "elasticRoles";
    static final String MANAGEMENT_PORT = "elastic.management.port";
    static final String MANAGEMENT_ADDRESS = "elastic.management.address";
    static final String DEFAULT_MANAGEMENT_PORT = "8081";
    static final String DEFAULT_MANAGEMENT_ADDRESS = "127.0.0.1";
    static final List<String> WITHOUT_API = List.of(
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (Roles.of(environment).api()) {
            return;
        }
        List<String> exclude = new ArrayList<>();
        String configured = environment.getProperty("spring.autoconfigure.exclude");
        if (configured != null && !configured.isBlank()) {
            Arrays.stream(configured.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(exclude::add);
        }
        exclude.addAll(WITHOUT_API);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("spring.autoconfigure.exclude", String.join(",", exclude));
        values.put("server.port", environment.getProperty(MANAGEMENT_PORT, DEFAULT_MANAGEMENT_PORT));
        values.put("server.address", environment.getProperty(MANAGEMENT_ADDRESS, DEFAULT_MANAGEMENT_ADDRESS));
        values.put("management.endpoints.web.exposure.include", "health,prometheus,metrics");
        values.put("management.endpoint.health.show-details", "always");
        // the API's jars carry no pages for this port
        values.put("spring.web.resources.add-mappings", "false");
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, values));
    }
}
