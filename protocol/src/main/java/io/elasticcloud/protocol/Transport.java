package io.elasticcloud.protocol;

import io.elasticcloud.protocol.Events.Event;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The bus between the API service, node agents and storage nodes. Two implementations honour
 * this contract: in-process (single host) and RabbitMQ (several hosts); one contract test suite
 * runs against both.
 *
 * <p>Delivery is at least once: handlers must be idempotent (every command carries an id).
 *
 * <p>Errors and redelivery. An exception from a handler is its answer, not a lost delivery: the
 * command is acknowledged, the caller gets the error at once, and the transport never runs the
 * command again by itself. A command is delivered again only when its server stops without
 * answering (its process dies, its connection to the broker drops): a command is acknowledged
 * only after its handler ran and its answer was sent, so whoever serves the node next runs it
 * again with the same command id, and the caller gets that answer if it is still waiting. After
 * a {@code system} error or a timeout the caller may send the same command again, same id; the
 * handler's idempotency makes that safe.
 *
 * <p>A node is served by at most one registration per transport; its handler may run for several
 * commands at once. A request to a node nobody serves fails with {@code system}: at once when the
 * bus has no server or queue for it, at the latest at the timeout when its server is gone. Each
 * subscriber gets events in the order they were published, from the moment {@code subscribe}
 * returns; a listener that throws loses only that event. A reply completes its future on a pool of the transport's,
 * never on a handler's or the broker's thread, so work chained onto one reply delays no other.
 */
public interface Transport extends AutoCloseable {

    /**
     * Sends {@code command} to {@code node} and completes with its reply, or exceptionally with an
     * {@link ElasticException}: the handler's own, {@code system} when no node answers within
     * {@code timeout} or the bus is down.
     */
    <R> CompletableFuture<R> request(String node, Command<R> command, Duration timeout);

    /**
     * Serves the commands addressed to {@code node}. The handler's return value is the reply; an
     * {@link ElasticException} it throws goes back to the sender with its type and message; any
     * other exception, and a reply of the wrong type, goes back as {@code system} with a generic
     * message (the details are logged here). Close the registration to stop serving: commands
     * already running get a few seconds to finish and be answered.
     *
     * @throws IllegalStateException if this transport already serves {@code node}
     */
    AutoCloseable serve(String node, CommandHandler handler);

    /** Publishes an event to every subscriber (none is fine). */
    void publish(Event event);

    /**
     * Receives the events of {@code kinds} published from now on, in publish order, until the
     * registration is closed. Only those: on RabbitMQ the broker routes each kind to the queues that
     * asked for it, so that a process is not handed (and does not decode) every heartbeat of every
     * host for each of its subscribers.
     *
     * @throws IllegalArgumentException if {@code kinds} is empty or holds a type that is no event the bus carries
     */
    AutoCloseable subscribe(Set<Class<? extends Event>> kinds, Consumer<Event> listener);

    /**
     * Whether the bus can carry messages now, as health reports it: in-process, until it is
     * closed; RabbitMQ, while its connection to the broker is open (asking opens a lost one again,
     * waiting at most the connection timeout, so the answer is the broker's state now).
     */
    boolean connected();

    @Override
    void close();

    /** What a node runs for each command it receives. */
    @FunctionalInterface
    interface CommandHandler {
        Object handle(Command<?> command);
    }
}
