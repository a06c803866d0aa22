package io.elasticcloud.api.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh database on the PostgreSQL server at {@code 127.0.0.1:5432} (or
 * {@code ELASTIC_TEST_POSTGRES_URL}/{@code _USER}/{@code _PASSWORD}), one per test class, so runs
 * never see each other's rows. The test command starts the server where none runs; a test that
 * cannot reach it fails.
 */
public final class PostgresDatabase {
    private PostgresDatabase() {
    }

    public static void register(DynamicPropertyRegistry registry) {
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
        registry.add("spring.datasource.url", () -> server + name);
        registry.add("spring.datasource.username", () -> user);
        registry.add("spring.datasource.password", () -> password);
        // every class has a context of its own, kept in Spring's cache until the JVM ends: idle, each
        // gives its pool back down to one connection, so that the classes together stay under the
        // server's max_connections (100 by default) while each keeps its full pool when busy
        registry.add("spring.datasource.hikari.minimum-idle", () -> "1");
        registry.add("spring.datasource.hikari.idle-timeout", () -> "10000");
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
