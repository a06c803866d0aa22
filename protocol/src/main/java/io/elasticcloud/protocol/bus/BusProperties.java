package io.elasticcloud.protocol.bus;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The bus's own settings, under {@code elastic.bus}. See {@link BusConfiguration} for the list.
 *
 * @param transport            which transport carries the bus
 * @param handlerThreadsPerNode how many commands one node handles at once, on either transport
 * @param rabbitmq             settings of the RabbitMQ transport only
 */
@ConfigurationProperties("elastic.bus")
public record BusProperties(@DefaultValue("in-process") Kind transport,
                            @DefaultValue("4") int handlerThreadsPerNode,
                            @DefaultValue Rabbitmq rabbitmq) {

    public enum Kind {
        IN_PROCESS,
        RABBITMQ
    }

    /** @param namespace prefix of every exchange and queue; two clouds may share one broker */
    public record Rabbitmq(@DefaultValue(RabbitTransport.DEFAULT_NAMESPACE) String namespace) {
    }
}
