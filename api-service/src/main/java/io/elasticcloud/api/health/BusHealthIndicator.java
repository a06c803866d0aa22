package io.elasticcloud.api.health;

import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.bus.RabbitTransport;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code bus}: {@code UP} while the transport can carry messages (RabbitMQ: its broker connection is open). */
@Component
public class BusHealthIndicator implements HealthIndicator {
    private final Transport transport;

    public BusHealthIndicator(Transport transport) {
        this.transport = transport;
    }

    @Override
    public Health health() {
        Health.Builder health = transport.connected() ? Health.up() : Health.down();
        return health.withDetail("transport", transport instanceof RabbitTransport ? "rabbitmq" : "in-process").build();
    }
}
