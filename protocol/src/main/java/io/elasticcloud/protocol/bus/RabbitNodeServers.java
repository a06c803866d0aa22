package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.Transport.CommandHandler;
import io.elasticcloud.protocol.bus.MessageCodec.Encoded;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * The serving side of {@link RabbitTransport}: one consumer container per node this process
 * serves, each running the node's handler on its commands and sending the reply to the queue the
 * request named. A command is acknowledged only after its handler ran and its reply was sent.
 */
final class RabbitNodeServers {
    // under the transport's name, so that one logger setting covers the whole bus
    private static final Logger log = LoggerFactory.getLogger(RabbitTransport.class);

    private final RabbitTopology topology;
    private final CommandDispatcher dispatcher;
    private final RabbitTemplate replyTemplate;
    private final int consumersPerNode;
    private final ConcurrentMap<String, SimpleMessageListenerContainer> servers = new ConcurrentHashMap<>();

    RabbitNodeServers(RabbitTopology topology, CommandDispatcher dispatcher, RabbitTemplate replyTemplate,
                      int consumersPerNode) {
        this.topology = topology;
        this.dispatcher = dispatcher;
        this.replyTemplate = replyTemplate;
        this.consumersPerNode = consumersPerNode;
    }

    /** Starts serving {@code node}; closing the result stops it. */
    AutoCloseable serve(String node, CommandHandler handler) {
        if (servers.containsKey(node)) {
            throw alreadyServed(node);
        }
        Queue queue = topology.declareNodeQueue(node);
        SimpleMessageListenerContainer container =
                topology.container(queue.getName(), consumersPerNode, AcknowledgeMode.AUTO, "elastic-node-" + node);
        // One at a time per consumer, so a slow command never holds others hostage behind it.
        container.setPrefetchCount(1);
        // A listener fails only when the reply cannot be sent; the command then goes back to the
        // queue and runs again (handlers are idempotent) rather than being lost.
        container.setDefaultRequeueRejected(true);
        container.setMessageListener((MessageListener) message -> answer(node, handler, message));
        if (servers.putIfAbsent(node, container) != null) {
            throw alreadyServed(node);
        }
        try {
            container.start();
        } catch (RuntimeException e) {
            servers.remove(node, container);
            throw e;
        }
        return () -> {
            if (servers.remove(node, container)) {
                container.stop();
            }
        };
    }

    /** Stops serving every node. */
    void stopAll() {
        servers.values().forEach(SimpleMessageListenerContainer::stop);
        servers.clear();
    }

    private static IllegalStateException alreadyServed(String node) {
        return new IllegalStateException("node " + node + " is already served on this bus");
    }

    private void answer(String node, CommandHandler handler, Message message) {
        MessageProperties received = message.getMessageProperties();
        Encoded reply = dispatcher.dispatch(node, handler, RabbitTopology.encoded(message));
        if (received.getReplyTo() == null) {
            log.warn("Node {} got {} with nowhere to send the answer", node, reply.type());
            return;
        }
        MessageProperties properties = RabbitTopology.properties(reply.type());
        properties.setCorrelationId(received.getCorrelationId());
        replyTemplate.send("", received.getReplyTo(), new Message(reply.body(), properties));
    }
}
