package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.bus.MessageCodec.Encoded;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * The bus between hosts, on RabbitMQ through Spring AMQP.
 *
 * <ul>
 *   <li>Commands: a durable direct exchange {@code elastic.commands}; {@link #serve} declares one
 *   durable queue per node, {@code elastic.node.<node>}, bound with the node's name. Commands are
 *   persistent and expire after the request's timeout, so a node that restarts within it still
 *   answers, and one that comes back later does not act on commands nobody waits for.</li>
 *   <li>A command is acknowledged only after its handler ran and its reply was sent: if the
 *   serving process dies before, RabbitMQ hands the command to whoever serves the node next.</li>
 *   <li>Publishing is mandatory: a command for a node that has no queue comes back at once, and
 *   the request fails fast with {@code system}. A node whose queue exists but whose server is gone
 *   fails with {@code system} at the request's timeout.</li>
 *   <li>Events: a durable topic exchange {@code elastic.events}, each published with its type name
 *   as routing key; each subscriber has its own exclusive, auto-delete queue, bound with the type
 *   names of the kinds it asked for.</li>
 * </ul>
 *
 * <p>Replies come to one exclusive, auto-delete queue per transport, matched by correlation id,
 * rather than through RabbitMQ's direct reply-to. Direct reply-to needs each request published on
 * the channel that consumes its reply, so requests could not go out on the pooled publisher
 * channels that carry the mandatory-returns callback, and Spring's templates built for it give one
 * reply timeout per template. A queue of our own costs one declaration per process (declared again
 * after a lost connection) and leaves each request its own timeout and its fail-fast return.
 *
 * <p>Requests are published by one sender thread of the transport's, in the order they were made,
 * never on the caller's: a broker that does not answer (a partition, or one still starting) can
 * hold a publish for as long as a connection attempt takes, and the caller must still get its
 * answer at its request's timeout. A request whose timeout passed while it waited for the sender is
 * not published at all.
 *
 * <p>The connection factory must have publisher returns enabled (on a {@code
 * CachingConnectionFactory}: {@code setPublisherReturns(true)}). The transport closes it only when
 * made by {@link #owning}. Everything it declares is declared again after a lost connection comes
 * back.
 */
public final class RabbitTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(RabbitTransport.class);

    /** The AMQP header that carries a message's type name beside its JSON body. */
    public static final String TYPE_HEADER = "elastic-type";
    public static final String DEFAULT_NAMESPACE = "elastic";
    /** How long {@link #connected} waits for its answer; an open connection answers in microseconds. */
    static final Duration PROBE_WAIT = Duration.ofSeconds(1);

    private final ConnectionFactory connectionFactory;
    private final MessageCodec codec;
    private final PendingReplies replies;
    private final RabbitTopology topology;
    private final RabbitTemplate commandTemplate;
    private final RabbitTemplate plainTemplate;
    private final Queue replyQueue;
    private final SimpleMessageListenerContainer replyContainer;
    private final RabbitNodeServers servers;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(new DaemonThreads("elastic-bus-sender"));
    private final ExecutorService prober = Executors.newSingleThreadExecutor(new DaemonThreads("elastic-bus-probe"));
    private volatile Future<Boolean> probe;
    private final Set<RabbitSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable afterClose;

    public RabbitTransport(ConnectionFactory connectionFactory) {
        this(connectionFactory, DEFAULT_NAMESPACE, new MessageCodec(), 4);
    }

    /**
     * @param namespace        prefix of every exchange and queue name ({@value #DEFAULT_NAMESPACE});
     *                         another one gives a separate bus on the same broker (tests use it)
     * @param consumersPerNode how many commands one node handles at once; more wait in its queue
     */
    public RabbitTransport(ConnectionFactory connectionFactory, String namespace, MessageCodec codec,
                           int consumersPerNode) {
        this(connectionFactory, namespace, codec, consumersPerNode, () -> {
        });
    }

    /**
     * A transport that owns its connection factory and destroys it when closed, after everything
     * of its own is closed. A factory that is a Spring bean would hear of the context's closing
     * first and then close every channel the transport still uses the slow way (five seconds
     * each, waiting for returns); one owned here closes in order.
     */
    public static RabbitTransport owning(CachingConnectionFactory connectionFactory, String namespace,
                                         MessageCodec codec, int consumersPerNode) {
        try {
            return new RabbitTransport(connectionFactory, namespace, codec, consumersPerNode, connectionFactory::destroy);
        } catch (RuntimeException e) {
            connectionFactory.destroy();
            throw e;
        }
    }

    private RabbitTransport(ConnectionFactory connectionFactory, String namespace, MessageCodec codec,
                            int consumersPerNode, Runnable afterClose) {
        if (!connectionFactory.isPublisherReturns()) {
            throw new IllegalArgumentException("the RabbitMQ connection factory needs publisher returns enabled,"
                    + " so that a command for a node nobody serves fails at once");
        }
        if (consumersPerNode < 1) {
            throw new IllegalArgumentException("consumersPerNode must be at least 1");
        }
        this.connectionFactory = connectionFactory;
        this.codec = codec;
        this.replies = new PendingReplies(codec, "elastic-bus-rabbit");
        this.afterClose = afterClose;

        this.topology = new RabbitTopology(connectionFactory, namespace);

        this.commandTemplate = new RabbitTemplate(connectionFactory);
        commandTemplate.setUsePublisherConnection(true);
        commandTemplate.setMandatory(true);
        commandTemplate.setReturnsCallback(returned -> replies.fail(
                returned.getMessage().getMessageProperties().getCorrelationId(),
                BusErrors.unreachable(returned.getRoutingKey())));
        this.plainTemplate = new RabbitTemplate(connectionFactory);
        plainTemplate.setUsePublisherConnection(true);
        this.servers = new RabbitNodeServers(topology, new CommandDispatcher(codec), plainTemplate, consumersPerNode);

        this.replyQueue = topology.declareReplyQueue();
        this.replyContainer = topology.container(replyQueue.getName(), 1, AcknowledgeMode.NONE, "elastic-bus-replies");
        replyContainer.setMessageListener(message -> replies.complete(
                message.getMessageProperties().getCorrelationId(), RabbitTopology.encoded(message)));
        replyContainer.start();
    }

    @Override
    public <R> CompletableFuture<R> request(String node, Command<R> command, Duration timeout) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(BusErrors.closed());
        }
        Encoded encoded;
        try {
            encoded = codec.encode(command);
        } catch (IllegalArgumentException e) {
            log.error("Cannot send a command to node {}", node, e);
            return CompletableFuture.failedFuture(BusErrors.cannotCarry(command.getClass().getSimpleName()));
        }
        PendingReplies.Registered<R> request = replies.register(node, command, timeout);
        try {
            sender.execute(() -> send(node, encoded, request, timeout));
        } catch (RejectedExecutionException e) {
            replies.fail(request.correlationId(), BusErrors.closed());
        }
        return request.future();
    }

    /** On the sender thread: publishes the command unless its caller has stopped waiting. */
    private void send(String node, Encoded encoded, PendingReplies.Registered<?> request, Duration timeout) {
        if (request.future().isDone()) {
            return; // timed out (or closed) while it waited its turn: nobody would read the reply
        }
        MessageProperties properties = RabbitTopology.properties(encoded.type());
        properties.setCorrelationId(request.correlationId());
        properties.setReplyTo(replyQueue.getName());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setExpiration(Long.toString(Math.max(1, timeout.toMillis())));
        try {
            commandTemplate.send(topology.commandsExchange(), node, new Message(encoded.body(), properties));
        } catch (AmqpException e) {
            // one line, as for events: while the broker is away every call lands here
            log.error("Cannot send {} to node {}: {}", encoded.type(), node, e.getMessage());
            log.debug("Cannot send {} to node {}", encoded.type(), node, e);
            replies.fail(request.correlationId(), BusErrors.busDown());
        }
    }

    @Override
    public AutoCloseable serve(String node, CommandHandler handler) {
        if (closed.get()) {
            throw new IllegalStateException("the bus is closed");
        }
        return servers.serve(node, handler);
    }

    @Override
    public void publish(Event event) {
        if (closed.get()) {
            throw BusErrors.closed();
        }
        Encoded encoded;
        try {
            encoded = codec.encode(event);
        } catch (IllegalArgumentException e) {
            log.error("Cannot publish an event", e);
            throw BusErrors.cannotCarry(event.getClass().getSimpleName());
        }
        try {
            plainTemplate.send(topology.eventsExchange(), encoded.type(),
                    new Message(encoded.body(), RabbitTopology.properties(encoded.type())));
        } catch (AmqpException e) {
            // one line: while the broker is away every heartbeat of every node lands here
            log.error("Cannot publish {}: {}", encoded.type(), e.getMessage());
            log.debug("Cannot publish {}", encoded.type(), e);
            throw BusErrors.busDown();
        }
    }

    @Override
    public AutoCloseable subscribe(Set<Class<? extends Event>> kinds, Consumer<Event> listener) {
        if (closed.get()) {
            throw new IllegalStateException("the bus is closed");
        }
        Queue queue = topology.declareEventQueue(codec.eventNames(kinds));
        SimpleMessageListenerContainer container =
                topology.container(queue.getName(), 1, AcknowledgeMode.AUTO, "elastic-events");
        RabbitSubscription subscription = new RabbitSubscription(queue.getName(), container, topology.admin(), codec,
                listener, subscriptions::remove);
        subscriptions.add(subscription);
        container.start();
        return subscription::close;
    }

    /**
     * Whether the broker connection is open, answered within {@link #PROBE_WAIT}: looking at the
     * connection may mean waiting behind a connection attempt (the consumers retry on their own),
     * and an attempt still under way is no open connection. One probe at a time, on a thread of its
     * own, so that health checks never pile up behind a broker that does not answer.
     */
    @Override
    public boolean connected() {
        if (closed.get()) {
            return false;
        }
        Future<Boolean> running = probe;
        if (running == null || running.isDone()) {
            try {
                running = prober.submit(this::connectionOpen);
            } catch (RejectedExecutionException e) {
                return false; // closing
            }
            probe = running;
        }
        try {
            return running.get(PROBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean connectionOpen() {
        try {
            return connectionFactory.createConnection().isOpen();
        } catch (AmqpException e) {
            log.debug("The broker cannot be reached: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Callers first: they must not wait on handlers that are being given time to finish.
        replies.failAll(BusErrors.closed());
        sender.shutdownNow();
        prober.shutdownNow();
        servers.stopAll();
        subscriptions.forEach(RabbitSubscription::close);
        replies.close();
        replyContainer.stop();
        try {
            topology.admin().deleteQueue(replyQueue.getName());
        } catch (AmqpException e) {
            log.debug("Could not delete reply queue {}; it goes with the connection anyway", replyQueue.getName(), e);
        }
        // Nothing of this transport's should be declared again when the connection comes back.
        topology.admin().resetAllManualDeclarations();
        afterClose.run();
    }
}
