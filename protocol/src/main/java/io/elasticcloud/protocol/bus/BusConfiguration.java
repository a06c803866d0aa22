package io.elasticcloud.protocol.bus;

import com.rabbitmq.client.ConnectionFactory;
import io.elasticcloud.protocol.Transport;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitConnectionFactoryBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Provides the {@link Transport} bean of a service; import it with {@code
 * @Import(BusConfiguration.class)}. The transport is closed with the application context.
 *
 * <p>Properties:
 * <ul>
 *   <li>{@code elastic.bus.transport}: {@code in-process} (the default: the single-host mode, every
 *   party in this process) or {@code rabbitmq} (several hosts). Any other value stops the start.</li>
 *   <li>{@code elastic.bus.handler-threads-per-node}: how many commands one node handles at once
 *   (default 4); further commands wait their turn.</li>
 *   <li>{@code elastic.bus.rabbitmq.namespace}: prefix of the RabbitMQ exchanges and queues
 *   (default {@code elastic}: {@code elastic.commands}, {@code elastic.events}, {@code
 *   elastic.node.<node>}); two clouds may share one broker under two namespaces.</li>
 *   <li>{@code spring.rabbitmq.host}, {@code spring.rabbitmq.port}, {@code
 *   spring.rabbitmq.username}, {@code spring.rabbitmq.password}, {@code
 *   spring.rabbitmq.virtual-host}: the broker (defaults {@code 127.0.0.1}, {@code 5672}, {@code
 *   guest}, {@code guest}, {@code /}), {@code spring.rabbitmq.requested-heartbeat} (default 10 s:
 *   a broker that stops answering is given up after two), and {@code spring.rabbitmq.ssl.*} for TLS ({@link
 *   RabbitConnectionProperties.Ssl}); read only for {@code rabbitmq}.</li>
 * </ul>
 *
 * <p>With {@code rabbitmq} the broker must be reachable when the context starts: the transport
 * declares its exchanges and reply queue then, and the start fails if it cannot.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BusProperties.class)
public class BusConfiguration {

    @Bean
    @ConditionalOnProperty(name = "elastic.bus.transport", havingValue = "in-process", matchIfMissing = true)
    public Transport inProcessTransport(BusProperties properties) {
        return new InProcessTransport(new MessageCodec(), properties.handlerThreadsPerNode());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "elastic.bus.transport", havingValue = "rabbitmq")
    @EnableConfigurationProperties(RabbitConnectionProperties.class)
    static class RabbitBus {

        /**
         * The transport with a connection of its own, not a connection factory bean: see {@link
         * RabbitTransport#owning} for why, and publisher returns on for its fail-fast check.
         */
        @Bean
        Transport rabbitTransport(RabbitConnectionProperties broker, BusProperties properties) {
            CachingConnectionFactory factory = new CachingConnectionFactory(connectionFactory(broker));
            factory.setPublisherReturns(true);
            return RabbitTransport.owning(factory, properties.rabbitmq().namespace(), new MessageCodec(),
                    properties.handlerThreadsPerNode());
        }

        static ConnectionFactory connectionFactory(RabbitConnectionProperties broker) {
            RabbitConnectionFactoryBean bean = new RabbitConnectionFactoryBean();
            bean.setHost(broker.host());
            bean.setPort(broker.port());
            bean.setUsername(broker.username());
            bean.setPassword(broker.password());
            bean.setVirtualHost(broker.virtualHost());
            // The client's default of a minute would hold every caller that long when the broker is away.
            bean.setConnectionTimeout(5_000);
            // A partition is noticed only by missed heartbeats (RabbitConnectionProperties).
            bean.setRequestedHeartbeat(Math.toIntExact(broker.requestedHeartbeat().toSeconds()));
            RabbitConnectionProperties.Ssl ssl = broker.ssl();
            if (ssl.enabled()) {
                bean.setUseSSL(true);
                bean.setTrustStore(ssl.trustStore());
                bean.setTrustStorePassphrase(ssl.trustStorePassword());
                bean.setTrustStoreType(ssl.trustStoreType());
                bean.setKeyStore(ssl.keyStore());
                bean.setKeyStorePassphrase(ssl.keyStorePassword());
                bean.setKeyStoreType(ssl.keyStoreType());
                bean.setEnableHostnameVerification(ssl.verifyHostname());
            }
            try {
                bean.afterPropertiesSet();
                return bean.getObject();
            } catch (Exception e) {
                throw new IllegalStateException("RabbitMQ connection settings " + broker + ": " + e.getMessage(), e);
            }
        }
    }
}
