package io.elasticcloud.protocol.bus;

import java.util.Collection;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The RabbitMQ the tests use: the one at 127.0.0.1:5672 (guest/guest) that CI starts before the
 * tests. It is required, never assumed: without it these tests fail. Every test works in a
 * namespace of its own and removes it afterwards, so runs side by side do not meet.
 */
final class RabbitTestBroker {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5672;

    private RabbitTestBroker() {
    }

    static CachingConnectionFactory connectionFactory() {
        CachingConnectionFactory factory = new CachingConnectionFactory(HOST, PORT);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setPublisherReturns(true);
        factory.setConnectionTimeout(5_000);
        return factory;
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
