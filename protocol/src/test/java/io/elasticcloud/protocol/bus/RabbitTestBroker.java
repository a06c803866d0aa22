package io.elasticcloud.protocol.bus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The RabbitMQ the tests use: the one at 127.0.0.1:5672 that CI starts before the tests, as the
 * cloud's own user in its own virtual host, both read from the file deploy/rabbitmq-user.sh writes
 * ({@code ELASTIC_RABBITMQ_ENV}, default /etc/elastic/rabbitmq.env). Both are required, never
 * assumed: without them these tests fail. Every test works in a namespace of its own and removes it
 * afterwards, so runs side by side do not meet.
 */
final class RabbitTestBroker {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5672;
    private static final Map<String, String> CREDENTIALS = credentials();
    static final String USERNAME = CREDENTIALS.get("SPRING_RABBITMQ_USERNAME");
    static final String PASSWORD = CREDENTIALS.get("SPRING_RABBITMQ_PASSWORD");
    static final String VIRTUAL_HOST = CREDENTIALS.get("SPRING_RABBITMQ_VIRTUAL_HOST");

    private RabbitTestBroker() {
    }

    static CachingConnectionFactory connectionFactory() {
        CachingConnectionFactory factory = new CachingConnectionFactory(HOST, PORT);
        factory.setUsername(USERNAME);
        factory.setPassword(PASSWORD);
        factory.setVirtualHost(VIRTUAL_HOST);
        factory.setPublisherReturns(true);
        factory.setConnectionTimeout(5_000);
        return factory;
    }

    private static Map<String, String> credentials() {
        String env = System.getenv("ELASTIC_RABBITMQ_ENV");
        Path file = Path.of(env == null || env.isEmpty() ? "/etc/elastic/rabbitmq.env" : env);
        Map<String, String> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the cloud's RabbitMQ credentials " + file
                    + " (run deploy/start-services.sh as root): " + e, e);
        }
        return values;
    }

    static String namespace(String runId) {
        return "elastic-test-" + runId;
    }

    /** Removes what a bus in {@code namespace} left behind: node queues and both exchanges. */
    static void deleteNamespace(String namespace, Collection<String> nodes) {
        CachingConnectionFactory factory = connectionFactory();
        try {
            RabbitAdmin admin = new RabbitAdmin(factory);
            for (String node : nodes) {
                admin.deleteQueue(namespace + ".node." + node);
            }
            admin.deleteExchange(namespace + ".commands");
            admin.deleteExchange(namespace + ".events");
        } finally {
            factory.destroy();
        }
    }
}
