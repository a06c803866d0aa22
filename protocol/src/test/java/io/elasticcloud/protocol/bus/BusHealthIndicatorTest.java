package io.elasticcloud.protocol.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * {@code bus} follows the transport: in process until it is closed; over the RabbitMQ at
 * 127.0.0.1:5672 (which CI starts) while its connection is open. Losing the broker while running
 * is shown by the protocol's RabbitTransportTest through a relay.
 */
class BusHealthIndicatorTest {

    @Test
    void inProcessIsUpUntilClosed() {
        InProcessTransport transport = new InProcessTransport();
        BusHealthIndicator health = new BusHealthIndicator(transport);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).containsEntry("transport", "in-process");
        transport.close();
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails()).containsEntry("reason", "the transport is closed");
    }

    @Tag("rabbitmq")
    @Test
    void rabbitMqIsUpWhileConnected() {
        String namespace = "elastic-health-" + UUID.randomUUID().toString().substring(0, 8);
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setPublisherReturns(true);
        factory.setConnectionTimeout(5_000);
        try {
            RabbitTransport transport = new RabbitTransport(factory, namespace, new MessageCodec(), 1);
            BusHealthIndicator indicator = new BusHealthIndicator(transport);
            Health health = indicator.health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("transport", "rabbitmq");
            transport.close();
            Health down = indicator.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails()).containsEntry("reason", "no open connection to the RabbitMQ broker");
            assertThat(down.getDetails().toString()).doesNotContain("guest", "5672");
        } finally {
            RabbitAdmin admin = new RabbitAdmin(factory);
            admin.deleteExchange(namespace + ".commands");
            admin.deleteExchange(namespace + ".events");
            factory.destroy();
        }
    }
}
