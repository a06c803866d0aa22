package io.elasticcloud.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@code db} on a database that cannot be reached (a port on loopback where nothing listens) is
 * DOWN and says why in one line, without the password, the URL or a stack trace.
 */
class DatabaseHealthTest {
    private static final String PASSWORD = "never-in-health-" + System.nanoTime();

    @Test
    void aDatabaseThatCannotBeReachedIsDownWithTheReasonAndNoSecret() throws Exception {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                "jdbc:postgresql://127.0.0.1:1/elastic?connectTimeout=2", "elastic", PASSWORD);
        DatabaseHealthIndicator indicator = new DatabaseHealthIndicator(dataSource);
        indicator.afterPropertiesSet();
        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsOnlyKeys("reason");
        assertThat((String) health.getDetails().get("reason")).contains("127.0.0.1:1", "refused")
                .doesNotContain(PASSWORD, "jdbc:", "\n");
    }

    @Test
    void credentialsInAMessageAreMasked() {
        String reason = DatabaseHealthIndicator.reason(new SQLException(
                "cannot open jdbc:postgresql://elastic:hunter2@db.example/elastic?password=hunter2&ssl=true\n\tat x"));
        assertThat(reason).doesNotContain("hunter2", "\tat").contains("//***@db.example", "password=***&ssl=true");
    }
}
