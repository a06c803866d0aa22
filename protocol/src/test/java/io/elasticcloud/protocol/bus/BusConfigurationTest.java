package io.elasticcloud.protocol.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class BusConfigurationTest {
    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withUserConfiguration(BusConfiguration.class);

    @Test
    void providesTheInProcessTransportByDefault() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Transport.class);
            assertThat(context.getBean(Transport.class)).isInstanceOf(InProcessTransport.class);
            assertThat(context).doesNotHaveBean(CachingConnectionFactory.class);
            assertThat(roundTrip(context.getBean(Transport.class), "single-host")).isTrue();
        });
    }

    @Tag("rabbitmq")
    @Test
    void providesTheRabbitTransportWhenAskedWithTheBrokerFromSpringRabbitmqProperties() {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        String namespace = RabbitTestBroker.namespace(runId);
        String node = "test-config-" + runId;
        try {
            runner.withPropertyValues("elastic.bus.transport=rabbitmq", "elastic.bus.rabbitmq.namespace=" + namespace,
                            "spring.rabbitmq.host=" + RabbitTestBroker.HOST, "spring.rabbitmq.port=" + RabbitTestBroker.PORT,
                            "spring.rabbitmq.username=" + RabbitTestBroker.USERNAME,
                            "spring.rabbitmq.password=" + RabbitTestBroker.PASSWORD,
                            "spring.rabbitmq.virtual-host=" + RabbitTestBroker.VIRTUAL_HOST)
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(Transport.class)).isInstanceOf(RabbitTransport.class);
                        assertThat(roundTrip(context.getBean(Transport.class), node)).isTrue();
                    });
        } finally {
            RabbitTestBroker.deleteNamespace(namespace, List.of(node));
        }
    }

    @Test
    void refusesToStartWithAnUnknownTransport() {
        runner.withPropertyValues("elastic.bus.transport=carrier-pigeon")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("elastic.bus")
                        .hasStackTraceContaining("carrier-pigeon"));
    }

    @Test
    void refusesToStartWhenTheBrokerIsUnreachable() {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        runner.withPropertyValues("elastic.bus.transport=rabbitmq", "spring.rabbitmq.port=1")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("Connection refused"));
    }

    @Tag("rabbitmq")
    @Test
    void refusesToStartWhenTheCloudsUserAsksForAnotherVirtualHost() {
        // The broker's default virtual host, where guest and other software live: the cloud's user has no rights there.
        runner.withPropertyValues("elastic.bus.transport=rabbitmq",
                        "spring.rabbitmq.host=" + RabbitTestBroker.HOST, "spring.rabbitmq.port=" + RabbitTestBroker.PORT,
                        "spring.rabbitmq.username=" + RabbitTestBroker.USERNAME,
                        "spring.rabbitmq.password=" + RabbitTestBroker.PASSWORD, "spring.rabbitmq.virtual-host=/")
                .run(context -> assertThat(context).getFailure()
                        .hasStackTraceContaining("access to vhost '/' refused for user '" + RabbitTestBroker.USERNAME + "'"));
    }

    @Tag("rabbitmq")
    @Test
    void speaksTlsWhenAskedAndFailsOnAPlainListener() {
        // The test broker's port is plain AMQP: a TLS client's handshake gets no TLS answer there.
        runner.withPropertyValues("elastic.bus.transport=rabbitmq",
                        "spring.rabbitmq.host=" + RabbitTestBroker.HOST, "spring.rabbitmq.port=" + RabbitTestBroker.PORT,
                        "spring.rabbitmq.username=" + RabbitTestBroker.USERNAME,
                        "spring.rabbitmq.password=" + RabbitTestBroker.PASSWORD,
                        "spring.rabbitmq.virtual-host=" + RabbitTestBroker.VIRTUAL_HOST, "spring.rabbitmq.ssl.enabled=true")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("javax.net.ssl"));
    }

    @Test
    void keepsThePasswordOutOfTheBrokerSettingsText() {
        assertThat(new RabbitConnectionProperties("10.0.0.1", 5672, "cloud", "s3cret", "elastic", Duration.ofSeconds(10),
                new RabbitConnectionProperties.Ssl(true, "file:/t.p12", "tr-s3cret", "PKCS12", null, null, "PKCS12", true))
                .toString())
                .contains("cloud@10.0.0.1:5672, vhost elastic, TLS")
                .doesNotContain("tr-s3cret")
                .doesNotContain("s3cret");
    }

    /** Two missed heartbeats give a silent broker up: ten seconds each unless set otherwise. */
    @Test
    void asksForTenSecondHeartbeatsUnlessSpringRabbitmqRequestedHeartbeatSaysOtherwise() {
        ApplicationContextRunner properties = new ApplicationContextRunner().withUserConfiguration(BrokerSettings.class);
        properties.run(context -> assertThat(
                BusConfiguration.RabbitBus.connectionFactory(context.getBean(RabbitConnectionProperties.class))
                        .getRequestedHeartbeat()).isEqualTo(10));
        properties.withPropertyValues("spring.rabbitmq.requested-heartbeat=4").run(context -> assertThat(
                BusConfiguration.RabbitBus.connectionFactory(context.getBean(RabbitConnectionProperties.class))
                        .getRequestedHeartbeat()).isEqualTo(4));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RabbitConnectionProperties.class)
    static class BrokerSettings {
    }

    private static boolean roundTrip(Transport transport, String node) throws Exception {
        NodeStatus status = new NodeStatus(node, "hdd-1", 100, 10);
        try (AutoCloseable serving = transport.serve(node, command -> status)) {
            return transport.request(node, new DescribeNode("c-config"), Duration.ofSeconds(10))
                    .get(15, TimeUnit.SECONDS).equals(status);
        }
    }
}
