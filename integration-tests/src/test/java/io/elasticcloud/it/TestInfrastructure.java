package io.elasticcloud.it;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The PostgreSQL (127.0.0.1:5432, or {@code ELASTIC_TEST_POSTGRES_URL}/{@code _USER}/{@code
 * _PASSWORD}, as the API service's tests use it) and the RabbitMQ (127.0.0.1:5672) that
 * several-hosts tests share with everything else here: each test takes a database and a bus
 * namespace of its own, and removes them afterwards. On RabbitMQ the processes are the cloud's own
 * user in its own virtual host, as deploy/run-host.sh gives them from the file deploy/rabbitmq-user.sh
 * writes ({@code ELASTIC_RABBITMQ_ENV}, default /etc/elastic/rabbitmq.env); the tests read the same.
 */
final class TestInfrastructure {
    private static final String SERVER = env("ELASTIC_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = env("ELASTIC_TEST_POSTGRES_USER", "postgres");
    private static final String PASSWORD = env("ELASTIC_TEST_POSTGRES_PASSWORD", "");

    private static final String RABBIT_ENV = env("ELASTIC_RABBITMQ_ENV", "/etc/elastic/rabbitmq.env");

    private TestInfrastructure() {
    }

    /**
     * A fresh, empty database, held open by a connection of the test's own until {@link #drop}: the
     * API service's tests drop every {@code elastic_test_*} database nobody is connected to as an
     * earlier run's leftover, and a system process takes many seconds to connect to its database.
     */
    record Database(String name, java.sql.Connection guard) {
        static Database create(String name) {
            execute("CREATE DATABASE " + name);
            try {
                return new Database(name, DriverManager.getConnection(SERVER + name, USER, PASSWORD));
            } catch (SQLException e) {
                throw new IllegalStateException("PostgreSQL at " + SERVER + ": cannot connect to " + name + ": "
                        + e.getMessage(), e);
            }
        }

        /** For the API process: Spring's {@code spring.datasource.*} from its environment. */
        Map<String, String> environment() {
            return Map.of("SPRING_DATASOURCE_URL", SERVER + name, "SPRING_DATASOURCE_USERNAME", USER,
                    "SPRING_DATASOURCE_PASSWORD", PASSWORD);
        }

        /** A connection of the test's own to this database. */
        java.sql.Connection connect() throws SQLException {
            return DriverManager.getConnection(SERVER + name, USER, PASSWORD);
        }

        void drop() {
            try {
                guard.close();
            } catch (SQLException e) {
                // the drop below says whether it matters
            }
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

    /**
     * Fails unless the bus in {@code namespace} is in the cloud's virtual host: removing is silent
     * about what is not there, so this is what shows that the processes used the cloud's user.
     */
    static void requireRabbitNamespace(String namespace) {
        try (Connection c = rabbitConnection(); Channel channel = c.createChannel()) {
            channel.exchangeDeclarePassive(namespace + ".commands");
        } catch (Exception e) {
            throw new IllegalStateException("RabbitMQ namespace " + namespace + " is not in the cloud's virtual host: "
                    + e.getMessage(), e);
        }
    }

    /** Removes what a bus in {@code namespace} left: the nodes' queues and both exchanges. */
    static void deleteRabbitNamespace(String namespace, String... nodes) {
        try (Connection c = rabbitConnection(); Channel channel = c.createChannel()) {
            for (String node : nodes) {
                channel.queueDelete(namespace + ".node." + node);
            }
            channel.exchangeDelete(namespace + ".commands");
            channel.exchangeDelete(namespace + ".events");
        } catch (Exception e) {
            throw new IllegalStateException("cannot remove RabbitMQ namespace " + namespace + ": " + e.getMessage(), e);
        }
    }

    /** A connection of the test's own to the cloud's virtual host, as the processes' user. */
    static Connection rabbitConnection() throws Exception {
        return rabbitConnectionFactory().newConnection();
    }

    /** The connection settings of {@link #rabbitConnection}: the cloud's virtual host, as the processes' user. */
    static ConnectionFactory rabbitConnectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(5672);
        factory.setConnectionTimeout(5_000);
        Map<String, String> credentials = rabbitCredentials();
        factory.setUsername(credentials.get("SPRING_RABBITMQ_USERNAME"));
        factory.setPassword(credentials.get("SPRING_RABBITMQ_PASSWORD"));
        factory.setVirtualHost(credentials.get("SPRING_RABBITMQ_VIRTUAL_HOST"));
        return factory;
    }

    private static Map<String, String> rabbitCredentials() {
        Map<String, String> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of(RABBIT_ENV))) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the cloud's RabbitMQ credentials " + RABBIT_ENV
                    + " (run deploy/start-services.sh as root): " + e, e);
        }
        return values;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
