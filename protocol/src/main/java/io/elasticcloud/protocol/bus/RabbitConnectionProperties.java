package io.elasticcloud.protocol.bus;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the RabbitMQ broker is, under Spring Boot's own {@code spring.rabbitmq} keys, so that an
 * operator sets it once for everything in the process that speaks AMQP.
 */
@ConfigurationProperties("spring.rabbitmq")
public record RabbitConnectionProperties(@DefaultValue("127.0.0.1") String host,
                                         @DefaultValue("5672") int port,
                                         @DefaultValue("guest") String username,
                                         @DefaultValue("guest") String password) {

    /** Never the password: this record ends up in logs and failure reports. */
    @Override
    public String toString() {
        return "RabbitConnectionProperties[" + username + "@" + host + ":" + port + "]";
    }
}
