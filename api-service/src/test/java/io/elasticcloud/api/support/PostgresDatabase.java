package io.elasticcloud.api.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * A fresh database on the PostgreSQL server at {@code 127.0.0.1:5432} (or
 * {@code ELASTIC_TEST_POSTGRES_URL}/{@code _USER}/{@code _PASSWORD}) for each test context that
 * asks for it ({@link OnPostgres}), so runs never see each other's rows. The test command starts the
 * server where none runs; a test that cannot reach it fails.
 */
public final class PostgresDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    /** Where a fresh database is, and as whom to connect. */
    public record Fresh(String url, String user, String password) {
    }

    /** Makes a fresh database (and drops those earlier runs left). */
    public static Fresh create() {
        String server = env("ELASTIC_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/");
        String user = env("ELASTIC_TEST_POSTGRES_USER", "postgres");
        String password = env("ELASTIC_TEST_POSTGRES_PASSWORD", "");
        String name = "elastic_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(server + "postgres", user, password);
             Statement s = c.createStatement()) {
            dropLeftovers(s);
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + server + ": " + e.getMessage(), e);
        }
        return new Fresh(server + name, user, password);
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Fresh database = create();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", database.url());
        properties.put("spring.datasource.username", database.user());
        properties.put("spring.datasource.password", database.password());
        // a context stays in Spring's cache until the JVM ends: idle, each gives its pool back down
        // to one connection, so that the contexts together stay under the server's max_connections
        // (100 by default) while each keeps its full pool when busy
        properties.put("spring.datasource.hikari.minimum-idle", "1");
        properties.put("spring.datasource.hikari.idle-timeout", "10000");
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("postgres-test-database", properties));
    }

    /**
     * Drops the databases earlier runs left (their JVMs are gone). One still in use, by a test
     * context of this run kept in Spring's cache, refuses to be dropped and is left alone.
     */
    private static void dropLeftovers(Statement s) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'elastic\\_test\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        for (String old : names) {
            try {
                s.execute("DROP DATABASE " + old);
            } catch (SQLException inUse) {
                // a context of this run still holds it
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
