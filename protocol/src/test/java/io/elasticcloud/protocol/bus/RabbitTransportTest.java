package io.elasticcloud.protocol.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.ImagingProgress;
import io.elasticcloud.protocol.Transport.CommandHandler;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeVolume;
import io.elasticcloud.protocol.storage.VolumeInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/** What only the RabbitMQ transport can show: its wire format, its topology, and surviving a crash. */
@Tag("rabbitmq")
class RabbitTransportTest {
    private static final long WAIT_SECONDS = 15;

    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final String namespace = RabbitTestBroker.namespace(runId);
    private final List<CachingConnectionFactory> factories = new ArrayList<>();
    private final List<RabbitTransport> transports = new ArrayList<>();
    private final List<String> nodes = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    private CachingConnectionFactory factory() {
        CachingConnectionFactory factory = RabbitTestBroker.connectionFactory();
        factories.add(factory);
        return factory;
    }

    private RabbitTransport transport(CachingConnectionFactory factory, int consumersPerNode) {
        RabbitTransport transport = new RabbitTransport(factory, namespace, new MessageCodec(), consumersPerNode);
        transports.add(transport);
        return transport;
    }

    private String node(String purpose) {
        String node = "test-" + purpose + "-" + runId;
        nodes.add(node);
        return node;
    }

    @AfterEach
    void cleanUp() {
        release.countDown();
        transports.forEach(RabbitTransport::close);
        factories.forEach(CachingConnectionFactory::destroy);
        RabbitTestBroker.deleteNamespace(namespace, nodes);
    }

    /** The at-least-once half of the contract: a command whose server dies unacknowledged runs again. */
    @Test
    void redeliversACommandWhoseServerDiedBeforeAnsweringToTheNextServer() throws Exception {
        String node = node("crash");
        RabbitTransport client = transport(factory(), 4);
        CachingConnectionFactory firstConnection = factory();
        CachingConnectionFactory secondConnection = factory();
        List<String> runs = new CopyOnWriteArrayList<>();
        AtomicReference<CachingConnectionFactory> crashing = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        transport(firstConnection, 1).serve(node, crashOnce(firstConnection, crashing, started, runs));
        transport(secondConnection, 1).serve(node, crashOnce(secondConnection, crashing, started, runs));

        CompletableFuture<VolumeInfo> reply = client.request(node, new DescribeVolume("c-crash", "v-1"),
                Duration.ofSeconds(WAIT_SECONDS));
        assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        crashing.get().resetConnection(); // the process "dies" mid-command: no ack reaches the broker

        assertThat(reply.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(SampleMessages.of(VolumeInfo.class));
        assertThat(runs).hasSize(2).allSatisfy(run -> assertThat(run).endsWith(":c-crash"));
        assertThat(runs.get(0)).isNotEqualTo(runs.get(1));
    }

    /** The first command blocks its server until the test ends; any later one is answered. */
    private CommandHandler crashOnce(CachingConnectionFactory connection,
                                     AtomicReference<CachingConnectionFactory> crashing, CountDownLatch started,
                                     List<String> runs) {
        return command -> {
            runs.add(System.identityHashCode(connection) + ":" + command.commandId());
            if (crashing.compareAndSet(null, connection)) {
                started.countDown();
                TransportContractTest.awaitQuietly(release);
            }
            return SampleMessages.of(VolumeInfo.class);
        };
    }

    @Test
    void comesBackAfterLosingItsConnections() throws Exception {
        CachingConnectionFactory clientConnection = factory();
        CachingConnectionFactory serverConnection = factory();
        RabbitTransport client = transport(clientConnection, 4);
        RabbitTransport server = transport(serverConnection, 4);
        String node = node("recover");
        server.serve(node, command -> SampleMessages.of(VolumeInfo.class));
        List<Event> events = new CopyOnWriteArrayList<>();
        client.subscribe(Set.of(ImagingProgress.class), events::add);
        assertThat(client.request(node, new DescribeVolume("c-0", "v-1"), Duration.ofSeconds(5))
                .get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(SampleMessages.of(VolumeInfo.class));

        // The broker drops the exclusive reply and event queues with the connections.
        clientConnection.resetConnection();
        serverConnection.resetConnection();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(client.request(node, new DescribeVolume("c-1", "v-1"), Duration.ofSeconds(2))
                        .get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(SampleMessages.of(VolumeInfo.class)));
        ImagingProgress progress = new ImagingProgress("store-a", "job-recover", "v-1", 7);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            server.publish(progress);
            return events.contains(progress);
        });
    }

    @Test
    void isConnectedWhileTheBrokerCanBeReached() {
        try (TcpRelay relay = new TcpRelay(RabbitTestBroker.PORT).start()) {
            CachingConnectionFactory viaRelay = factory();
            viaRelay.setPort(relay.port());
            RabbitTransport transport = transport(viaRelay, 1);
            assertThat(transport.connected()).isTrue();

            relay.stop();
            await().atMost(Duration.ofSeconds(15)).until(() -> !transport.connected());

            relay.start();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(transport::connected);
        }
    }

    /**
     * A partition (the broker neither answers nor refuses, as when {@code docker pause}d): requests
     * fail with {@code system} at their timeout and hold their caller no longer, before and after
     * the silent connection is given up (two heartbeats); {@code connected()} says so without
     * waiting for a connection attempt; once the broker answers again, requests are answered again
     * with nothing restarted.
     */
    @Test
    void failsRequestsInTimeDuringAPartitionAndComesBackAfterIt() throws Exception {
        try (TcpRelay relay = new TcpRelay(RabbitTestBroker.PORT).start()) {
            CachingConnectionFactory viaRelay = factory();
            viaRelay.setPort(relay.port());
            viaRelay.setRequestedHeartBeat(1);
            RabbitTransport client = transport(viaRelay, 1);
            RabbitTransport server = transport(factory(), 4);
            String node = node("partition");
            server.serve(node, command -> SampleMessages.of(VolumeInfo.class));
            assertThat(client.request(node, new DescribeVolume("c-0", "v-1"), Duration.ofSeconds(5))
                    .get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(SampleMessages.of(VolumeInfo.class));

            relay.freeze();
            List<Long> tookMillis = new ArrayList<>();
            long frozenAt = System.nanoTime();
            // while the connection still looks open, and after its heartbeats are missed
            while (System.nanoTime() - frozenAt < TimeUnit.SECONDS.toNanos(6)) {
                long begun = System.nanoTime();
                String id = "c-cut-" + tookMillis.size();
                assertThatThrownBy(() -> client.request(node, new DescribeVolume(id, "v-1"), Duration.ofSeconds(1))
                        .get(WAIT_SECONDS, TimeUnit.SECONDS))
                        .cause().isInstanceOf(ElasticException.class)
                        .satisfies(e -> assertThat(((ElasticException) e).type()).isEqualTo(ErrorType.SYSTEM));
                tookMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
            }
            assertThat(tookMillis).as("how long each request held its caller (ms)").allSatisfy(
                    took -> assertThat(took).isLessThan(1_500));
            await().atMost(Duration.ofSeconds(10)).until(() -> !client.connected());
            // and health asks without waiting behind connection attempts to the silent broker
            for (int i = 0; i < 3; i++) {
                long asked = System.nanoTime();
                assertThat(client.connected()).isFalse();
                assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMillis(1_500));
            }

            relay.thaw();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(client.request(node, new DescribeVolume("c-1", "v-1"), Duration.ofSeconds(2))
                            .get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(SampleMessages.of(VolumeInfo.class)));
        }
    }

    @Test
    void sendsCommandsAsJsonWithTypeHeaderCorrelationReplyQueueAndExpiry() throws Exception {
        RabbitTransport client = transport(factory(), 4);
        RabbitTemplate raw = new RabbitTemplate(factory());
        String node = node("raw");
        declareNodeQueue(client, node);

        CompletableFuture<NodeStatus> reply = client.request(node, new DescribeNode("c-raw"), Duration.ofSeconds(7));
        Message command = raw.receive(namespace + ".node." + node, WAIT_SECONDS * 1000);

        assertThat(command).isNotNull();
        MessageProperties properties = command.getMessageProperties();
        assertThat(properties.<String>getHeader(RabbitTransport.TYPE_HEADER)).isEqualTo("StorageCommands.DescribeNode");
        assertThat(properties.getContentType()).isEqualTo(MessageProperties.CONTENT_TYPE_JSON);
        assertThat(properties.getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
        assertThat(properties.getExpiration()).isEqualTo("7000");
        assertThat(properties.getReplyTo()).startsWith(namespace + ".reply.");
        assertThat(properties.getCorrelationId()).isNotBlank();
        assertThat(new String(command.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"commandId\":\"c-raw\"}");

        MessageProperties answer = new MessageProperties();
        answer.setHeader(RabbitTransport.TYPE_HEADER, "NodeStatus");
        answer.setCorrelationId(properties.getCorrelationId());
        raw.send("", properties.getReplyTo(), new Message(
                "{\"node\":\"raw\",\"hardware\":\"hdd-1\",\"capacityBytes\":100,\"usedBytes\":40}"
                        .getBytes(StandardCharsets.UTF_8), answer));
        assertThat(reply.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(new NodeStatus("raw", "hdd-1", 100, 40));
    }

    @Test
    void turnsAnUnreadableReplyIntoSystem() throws Exception {
        RabbitTransport client = transport(factory(), 4);
        RabbitTemplate raw = new RabbitTemplate(factory());
        String node = node("garbled");
        declareNodeQueue(client, node);

        CompletableFuture<NodeStatus> reply = client.request(node, new DescribeNode("c-1"), Duration.ofSeconds(10));
        Message command = raw.receive(namespace + ".node." + node, WAIT_SECONDS * 1000);
        MessageProperties answer = new MessageProperties();
        answer.setHeader(RabbitTransport.TYPE_HEADER, "Shell.Exec");
        answer.setCorrelationId(command.getMessageProperties().getCorrelationId());
        raw.send("", command.getMessageProperties().getReplyTo(), new Message(new byte[] {'{', '}'}, answer));

        assertThatThrownBy(() -> reply.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ElasticException.class)
                .satisfies(e -> assertThat(((ElasticException) e).type()).isEqualTo(ErrorType.SYSTEM));
    }

    @Test
    void declaresDurableExchangesAndANodeQueueThatOutlivesItsServer() throws Exception {
        RabbitTransport server = transport(factory(), 3);
        RabbitTemplate raw = new RabbitTemplate(factory());
        String node = node("topology");
        String queue = namespace + ".node." + node;

        AutoCloseable serving = server.serve(node, command -> SampleMessages.of(VolumeInfo.class));
        // Declaring again with the same arguments succeeds only if the broker has exactly these.
        raw.execute(channel -> {
            channel.exchangeDeclare(namespace + ".commands", "direct", true);
            channel.exchangeDeclare(namespace + ".events", "topic", true);
            channel.queueDeclare(queue, true, false, false, null);
            return null;
        });
        int consumersWhileServing = consumers(raw, queue);
        serving.close();

        assertThat(consumersWhileServing).isEqualTo(3);
        assertThat(consumers(raw, queue)).as("the queue stays, without consumers").isZero();
    }

    /** Serving once leaves the node's queue behind with nobody consuming: the test reads it raw. */
    private static void declareNodeQueue(RabbitTransport transport, String node) throws Exception {
        transport.serve(node, command -> null).close();
    }

    private static int consumers(RabbitTemplate raw, String queue) {
        return raw.execute(channel -> channel.queueDeclarePassive(queue).getConsumerCount());
    }

    @Test
    void refusesAConnectionFactoryWithoutPublisherReturns() {
        CachingConnectionFactory withoutReturns = factory();
        withoutReturns.setPublisherReturns(false);

        assertThatThrownBy(() -> new RabbitTransport(withoutReturns))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("publisher returns");
    }

}
