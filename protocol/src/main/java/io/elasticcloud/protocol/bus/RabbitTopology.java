package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.bus.MessageCodec.Encoded;
import java.util.Collection;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Base64UrlNamingStrategy;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * What {@link RabbitTransport} puts on the broker: the names of its exchanges and queues under one
 * namespace, their declarations (declared again after a lost connection comes back), the
 * listener containers that consume them, and the message properties every message carries.
 */
final class RabbitTopology {
    private final ConnectionFactory connectionFactory;
    private final String namespace;
    private final RabbitAdmin admin;

    /** Declares the commands and events exchanges at once. */
    RabbitTopology(ConnectionFactory connectionFactory, String namespace) {
        this.connectionFactory = connectionFactory;
        this.namespace = namespace;
        this.admin = new RabbitAdmin(connectionFactory);
        admin.setRedeclareManualDeclarations(true);
        admin.afterPropertiesSet();
        admin.declareExchange(new DirectExchange(commandsExchange(), true, false));
        admin.declareExchange(new TopicExchange(eventsExchange(), true, false));
    }

    RabbitAdmin admin() {
        return admin;
    }

    String commandsExchange() {
        return namespace + ".commands";
    }

    String eventsExchange() {
        return namespace + ".events";
    }

    String nodeQueue(String node) {
        return namespace + ".node." + node;
    }

    /** The durable queue of a node's commands, bound to the commands exchange with the node's name. */
    Queue declareNodeQueue(String node) {
        Queue queue = new Queue(nodeQueue(node), true, false, false);
        admin.declareQueue(queue);
        admin.declareBinding(BindingBuilder.bind(queue).to(new DirectExchange(commandsExchange())).with(node));
        return queue;
    }

    /**
     * One subscriber's own queue, bound to the events of {@code types} (wire names, which are the
     * routing keys: {@code Events.AgentHeartbeat} is two words and matches only itself).
     */
    Queue declareEventQueue(Collection<String> types) {
        Queue queue = exclusiveQueue(namespace + ".events.");
        admin.declareQueue(queue);
        for (String type : types) {
            admin.declareBinding(BindingBuilder.bind(queue).to(new TopicExchange(eventsExchange())).with(type));
        }
        return queue;
    }

    /** The queue this process's replies come to. */
    Queue declareReplyQueue() {
        Queue queue = exclusiveQueue(namespace + ".reply.");
        admin.declareQueue(queue);
        return queue;
    }

    SimpleMessageListenerContainer container(String queue, int consumers, AcknowledgeMode ack, String threadPrefix) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
        container.setQueueNames(queue);
        container.setConcurrentConsumers(consumers);
        container.setAcknowledgeMode(ack);
        container.setAmqpAdmin(admin);
        container.setTaskExecutor(new SimpleAsyncTaskExecutor(threadPrefix + "-"));
        // Idle consumers notice a stop this often; the default second makes every close slow.
        container.setReceiveTimeout(100);
        container.afterPropertiesSet();
        return container;
    }

    /**
     * A queue that lives and dies with this connection. Not Spring's {@code AnonymousQueue}: that
     * one asks for {@code x-queue-leader-locator}, which the RabbitMQ of Debian 12 (3.10) refuses
     * for classic queues. The name is ours, so it can be declared again after a lost connection.
     */
    private static Queue exclusiveQueue(String prefix) {
        return new Queue(new Base64UrlNamingStrategy(prefix).generateName(), false, true, true);
    }

    /** JSON, with the message's type name in {@link RabbitTransport#TYPE_HEADER}. */
    static MessageProperties properties(String type) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setHeader(RabbitTransport.TYPE_HEADER, type);
        return properties;
    }

    static Encoded encoded(Message message) {
        Object type = message.getMessageProperties().getHeader(RabbitTransport.TYPE_HEADER);
        return new Encoded(type == null ? null : type.toString(), message.getBody());
    }
}
