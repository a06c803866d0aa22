package io.elasticcloud.protocol.bus;

import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** The contract over a real RabbitMQ: client and server on two connections, as two hosts would be. */
@Tag("rabbitmq")
class RabbitTransportContractTest extends TransportContractTest {
    private CachingConnectionFactory clientConnection;
    private CachingConnectionFactory serverConnection;

    @Override
    protected Bus openBus() {
        clientConnection = RabbitTestBroker.connectionFactory();
        serverConnection = RabbitTestBroker.connectionFactory();
        String namespace = RabbitTestBroker.namespace(runId);
        return new Bus(new RabbitTransport(clientConnection, namespace, new MessageCodec(), 4),
                new RabbitTransport(serverConnection, namespace, new MessageCodec(), 4));
    }

    @Override
    protected void closeBus(Bus bus, Set<String> servedNodes) {
        try {
            if (bus.client() != null) {
                bus.client().close();
            }
            if (bus.server() != null) {
                bus.server().close();
            }
        } finally {
            if (clientConnection != null) {
                clientConnection.destroy();
            }
            if (serverConnection != null) {
                serverConnection.destroy();
            }
            RabbitTestBroker.deleteNamespace(RabbitTestBroker.namespace(runId), servedNodes);
        }
    }
}
