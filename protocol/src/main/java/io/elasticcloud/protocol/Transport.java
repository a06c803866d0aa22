package io.elasticcloud.protocol;

import io.elasticcloud.protocol.Events.Event;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The bus between the API service, node agents and storage nodes. Two implementations honour
 * this contract: in-process (single host) and RabbitMQ (several hosts); one contract test suite
 * runs against both.
 *
 * <p>Delivery is at least once: handlers must be idempotent (every command carries an id).
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
     * other exception goes back as {@code system}. Close the registration to stop serving.
     */
    AutoCloseable serve(String node, CommandHandler handler);

    /** Publishes an event to every subscriber (none is fine). */
    void publish(Event event);

    /** Receives every event published from now on, until the registration is closed. */
    AutoCloseable subscribe(Consumer<Event> listener);

    @Override
    void close();

    /** What a node runs for each command it receives. */
    @FunctionalInterface
    interface CommandHandler {
        Object handle(Command<?> command);
    }
}
