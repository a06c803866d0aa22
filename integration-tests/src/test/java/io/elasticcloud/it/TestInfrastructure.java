package io.elasticcloud.it;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The PostgreSQL (127.0.0.1:5432, or {@code ELASTIC_TEST_POSTGRES_URL}/{@code _USER}/{@code
 * _PASSWORD}, as the API service's tests use it) and the RabbitMQ (127.0.0.1:5672, guest) that
 * several-hosts tests share with everything else here: each test takes a database and a bus
 * namespace of its own, and removes them afterwards.
 */
final class TestInfrastructure {
    private static final String SERVER = env("ELASTIC_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = env("ELASTIC_TEST_POSTGRES_USER", "postgres");
    private static final String PASSWORD = env("ELASTIC_TEST_POSTGRES_PASSWORD", "");

    private TestInfrastructure() {
    }

    /** A fresh, empty database. */
    record Database(String name) {
        static Database create(String name) {
            execute("CREATE DATABASE " + name);
            return new Database(name);
        }

        /** For the API process: Spring's {@code spring.datasource.*} from its environment. */
        Map<String, String> environment() {
            return Map.of("SPRING_DATASOURCE_URL", SERVER + name, "SPRING_DATASOURCE_USERNAME", USER,
                    "SPRING_DATASOURCE_PASSWORD", PASSWORD);
        }

        void drop() {
            execute("DROP DATABASE IF EXISTS " + name);
        }
    }

    private static void execute(String sql) {
        try (java.sql.Connection c = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Removes what a bus in {@code namespace} left: the nodes' queues and both exchanges. */
    static void deleteRabbitNamespace(String namespace, String... nodes) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setConnectionTimeout(5_000);
        try (Connection c = factory.newConnection(); Channel channel = c.createChannel()) {
            for (String node : nodes) {
                channel.queueDelete(namespace + ".node." + node);
            }
            channel.exchangeDelete(namespace + ".commands");
            channel.exchangeDelete(namespace + ".events");
        } catch (Exception e) {
            throw new IllegalStateException("cannot remove RabbitMQ namespace " + namespace + ": " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
