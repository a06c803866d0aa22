package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.bus.MessageCodec.Encoded;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus of the single-host mode: every party lives in this process. It still behaves as the
 * RabbitMQ transport does where callers could tell the difference: every message is encoded and
 * decoded by the {@link MessageCodec} (a record that cannot cross the wire fails here too), each
 * node's handlers run on that node's own threads (a caller's timeout means what it means remotely),
 * and each subscriber gets its events in publish order on a thread of its own.
 *
 * <p>A request to a node that nobody serves fails at once with {@code system}; there is no queue
 * to wait in.
 */
public final class InProcessTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(InProcessTransport.class);

    /** How long closing waits for handlers and listeners already running, as RabbitMQ's default. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final MessageCodec codec;
    private final CommandDispatcher dispatcher;
    private final PendingReplies replies;
    private final int handlerThreadsPerNode;
    private final ConcurrentMap<String, NodeServer> servers = new ConcurrentHashMap<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    public InProcessTransport() {
        this(new MessageCodec(), 4);
    }

    /** @param handlerThreadsPerNode how many commands one node handles at once; more wait their turn */
    public InProcessTransport(MessageCodec codec, int handlerThreadsPerNode) {
        if (handlerThreadsPerNode < 1) {
            throw new IllegalArgumentException("handlerThreadsPerNode must be at least 1");
        }
        this.codec = codec;
        this.dispatcher = new CommandDispatcher(codec);
        this.replies = new PendingReplies(codec, "elastic-bus-local");
        this.handlerThreadsPerNode = handlerThreadsPerNode;
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
        NodeServer server = servers.get(node);
        if (server == null) {
            return CompletableFuture.failedFuture(BusErrors.unreachable(node));
        }
        PendingReplies.Registered<R> request = replies.register(node, command, timeout);
        server.submit(encoded, request.correlationId());
        return request.future();
    }

    @Override
    public AutoCloseable serve(String node, CommandHandler handler) {
        if (closed.get()) {
            throw new IllegalStateException("the bus is closed");
        }
        NodeServer server = new NodeServer(node, handler);
        if (servers.putIfAbsent(node, server) != null) {
            server.threads.shutdown();
            throw new IllegalStateException("node " + node + " is already served on this bus");
        }
        return server::close;
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
        for (Subscription subscription : subscriptions) {
            if (subscription.types.contains(encoded.type())) {
                subscription.deliver(encoded);
            }
        }
    }

    @Override
    public AutoCloseable subscribe(Set<Class<? extends Event>> kinds, Consumer<Event> listener) {
        if (closed.get()) {
            throw new IllegalStateException("the bus is closed");
        }
        Subscription subscription = new Subscription(codec.eventNames(kinds), listener);
        subscriptions.add(subscription);
        return subscription::close;
    }

    @Override
    public boolean connected() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        // Callers first: they must not wait on handlers that are being given time to finish.
        replies.failAll(BusErrors.closed());
        servers.values().forEach(NodeServer::close);
        subscriptions.forEach(Subscription::close);
        replies.close();
    }

    private static void awaitQuietly(ExecutorService executor, String what) {
        try {
            if (!executor.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} still runs {} after being closed", what, SHUTDOWN_GRACE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One served node: its handler and the threads it runs on. */
    private final class NodeServer {
        private final String node;
        private final CommandHandler handler;
        private final ExecutorService threads;
        private volatile boolean closing;

        NodeServer(String node, CommandHandler handler) {
            this.node = node;
            this.handler = handler;
            this.threads = Executors.newFixedThreadPool(handlerThreadsPerNode, new DaemonThreads("elastic-node-" + node));
        }

        void submit(Encoded command, String correlationId) {
            try {
                threads.execute(() -> {
                    // Commands still queued when the node stops are refused, as a stopped
                    // RabbitMQ consumer would leave them to whoever serves the node next.
                    if (closing) {
                        replies.fail(correlationId, BusErrors.unreachable(node));
                    } else {
                        replies.complete(correlationId, dispatcher.dispatch(node, handler, command));
                    }
                });
            } catch (RejectedExecutionException e) {
                replies.fail(correlationId, BusErrors.unreachable(node));
            }
        }

        void close() {
            closing = true;
            servers.remove(node, this);
            threads.shutdown();
            awaitQuietly(threads, "Node " + node);
        }
    }

    /** One subscriber of some kinds of event, fed in publish order by a thread of its own. */
    private final class Subscription {
        private final Set<String> types;
        private final Consumer<Event> listener;
        private final ExecutorService thread = Executors.newSingleThreadExecutor(new DaemonThreads("elastic-events"));
        private volatile boolean closing;
        private volatile Thread deliveringThread;

        Subscription(Set<String> types, Consumer<Event> listener) {
            this.types = types;
            this.listener = listener;
        }

        void deliver(Encoded event) {
            try {
                thread.execute(() -> {
                    if (closing) {
                        return;
                    }
                    deliveringThread = Thread.currentThread();
                    try {
                        listener.accept((Event) codec.decode(event.type(), event.body()));
                    } catch (RuntimeException e) {
                        // One listener's failure must not cost it the events after, nor others theirs.
                        log.error("An event listener failed on {}", event.type(), e);
                    }
                });
            } catch (RejectedExecutionException e) {
                log.debug("Dropped {} for a subscription being closed", event.type());
            }
        }

        void close() {
            closing = true;
            subscriptions.remove(this);
            thread.shutdown();
            // A listener may close its own subscription; waiting for itself would only stall.
            if (Thread.currentThread() != deliveringThread) {
                awaitQuietly(thread, "An event listener");
            }
        }
    }
}
