package io.elasticcloud.protocol.node;

import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.Transport.CommandHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every node on the bus does besides carrying out its commands, so that a node is its {@link
 * CommandTable} and its own state: it serves its name, sends a heartbeat when it starts (before
 * {@link #start} returns, so listeners learn of it at once) and every interval after, remembers
 * the replies to changing commands by command id (a redelivered command answers as the first time
 * without acting again), hands out striped locks (commands on one guest or one volume run one at a
 * time, so a stop cannot overtake the start it follows), and on close stops all of it: the
 * heartbeat first, then its event subscriptions, then serving. Nothing the node holds beyond that
 * (guests, volumes) is touched by closing.
 */
public final class NodeRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);
    private static final int REMEMBERED_REPLIES = 4096;
    private static final int LOCK_STRIPES = 64;

    /** This node's next heartbeat; what it throws is logged and the next one tried at its time. */
    @FunctionalInterface
    public interface Heartbeat {
        Event next() throws Exception;
    }

    private final String kind;
    private final String name;
    private final Transport transport;
    private final Duration heartbeatInterval;
    private final CommandHandler handler;
    private final Heartbeat heartbeat;
    private final RememberedReplies replies = new RememberedReplies(REMEMBERED_REPLIES);
    private final Object[] locks = new Object[LOCK_STRIPES];
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private ScheduledExecutorService heartbeats;
    private AutoCloseable registration;
    private volatile boolean closed;

    /**
     * @param kind    what the logs call this kind of node ({@code "node"}, {@code "storage node"})
     * @param name    the node's name on the bus
     * @param handler what carries out the commands addressed to {@code name}
     */
    public NodeRuntime(String kind, String name, Transport transport, Duration heartbeatInterval,
                       CommandHandler handler, Heartbeat heartbeat) {
        this.kind = kind;
        this.name = name;
        this.transport = transport;
        this.heartbeatInterval = heartbeatInterval;
        this.handler = handler;
        this.heartbeat = heartbeat;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    public String name() {
        return name;
    }

    /**
     * Runs {@code first} (what the node does before it answers: adopting what runs, subscribing),
     * then serves the node's commands and starts the heartbeat. Once: a started runtime does nothing.
     */
    public synchronized void start(Runnable first) {
        if (registration != null) {
            return;
        }
        first.run();
        registration = transport.serve(name, handler);
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + name);
            t.setDaemon(true);
            return t;
        });
        beat();
        long every = Math.max(1, heartbeatInterval.toMillis());
        heartbeats.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Receives the bus's events of {@code kinds} until this runtime closes. */
    public synchronized void subscribe(Set<Class<? extends Event>> kinds, Consumer<Event> listener) {
        subscriptions.add(transport.subscribe(kinds, listener));
    }

    /** Publishes an event; a bus that refuses it costs only this event (logged). */
    public void publish(Event event) {
        try {
            transport.publish(event);
        } catch (RuntimeException e) {
            log.warn("{} {}: could not publish {}: {}", kind, name, event.getClass().getSimpleName(), e.getMessage());
        }
    }

    /**
     * The reply remembered for {@code commandId}, or the action's, remembered from now on (see
     * {@link RememberedReplies}: a failure is not remembered, a null id never).
     */
    public <E extends Exception> Object remembered(String commandId, RememberedReplies.Action<E> action) throws E {
        return replies.reply(commandId, action);
    }

    /** The monitor that keeps the commands on {@code key} (a server, a volume) one at a time. */
    public Object lock(String key) {
        return locks[Math.floorMod(String.valueOf(key).hashCode(), LOCK_STRIPES)];
    }

    /** Whether {@link #close} began: what the node still reports by itself should stop too. */
    public boolean closed() {
        return closed;
    }

    private void beat() {
        Event event;
        try {
            event = heartbeat.next();
        } catch (Exception e) {
            log.warn("{} {}: heartbeat failed: {}", kind, name, e.getMessage());
            return;
        }
        publish(event);
    }

    /** Stops the heartbeat, the subscriptions and serving, in that order; may be called again. */
    @Override
    public synchronized void close() {
        closed = true;
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            heartbeats = null;
        }
        for (AutoCloseable subscription : subscriptions) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.warn("{} {}: closing the event subscription failed: {}", kind, name, e.getMessage());
            }
        }
        subscriptions.clear();
        if (registration != null) {
            try {
                registration.close();
            } catch (Exception e) {
                log.warn("{} {}: closing the bus registration failed: {}", kind, name, e.getMessage());
            }
            registration = null;
        }
    }
}
