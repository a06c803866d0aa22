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
 * A process without the API role has no database and no web server: it serves the bus (agent,
 * storage) and the storage's own data path port only. So neither the DataSource nor JPA nor
 * Flyway is configured, the servlet container and Spring Security stay off, and the
 * {@code spring.datasource.*} defaults of application.yml are never read.
 */
public class RoleEnvironment implements EnvironmentPostProcessor {
    static final String SOURCE = "elasticRoles";
    static final List<String> WITHOUT_API = List.of(
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration");

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
        values.put("spring.main.web-application-type", "none");
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, values));
    }
}
