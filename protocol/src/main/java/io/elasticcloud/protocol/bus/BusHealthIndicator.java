package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.Transport;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code bus}: {@code UP} while the transport can carry messages (RabbitMQ: its broker connection is
 * open). Every process has one, whichever its roles: the API service declares it, and the launcher
 * for a process without the API. Down, it says why in words of its own, never the broker's address
 * or credentials.
 */
public class BusHealthIndicator implements HealthIndicator {
    private final Transport transport;

    public BusHealthIndicator(Transport transport) {
        this.transport = transport;
    }

    @Override
    public Health health() {
        boolean rabbit = transport instanceof RabbitTransport;
        Health.Builder health = transport.connected() ? Health.up()
                : Health.down().withDetail("reason", rabbit ? "no open connection to the RabbitMQ broker"
                        : "the transport is closed");
        return health.withDetail("transport", rabbit ? "rabbitmq" : "in-process").build();
    }
}
