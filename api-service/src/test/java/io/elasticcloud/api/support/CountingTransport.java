package io.elasticcloud.api.support;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The fast tests' bus, recording the commands a counted request sends ({@link StatementCounter}'s
 * header names the request), so that a test can count the round trips one call makes to the agents
 * and storage nodes, and not those of reconciliation meanwhile; everything else is its delegate's.
 */
public class CountingTransport implements Transport {
    /** One command sent, and to which node. */
    public record Sent(String node, Command<?> command) {
    }

    private final Transport delegate;
    private final Map<String, List<Sent>> sent = new ConcurrentHashMap<>();

    public CountingTransport(Transport delegate) {
        this.delegate = delegate;
    }

    /**
     * The commands the request with {@code token} sent, in order (none: empty). A request sends
     * them on its own thread before it answers, so they are all here once its reply is.
     */
    public List<Sent> sentBy(String token) {
        List<Sent> commands = sent.remove(token);
        return commands == null ? List.of() : List.copyOf(commands);
    }

    @Override
    public <R> CompletableFuture<R> request(String node, Command<R> command, Duration timeout) {
        String token = StatementCounter.currentToken();
        if (token != null) {
            sent.computeIfAbsent(token, t -> new CopyOnWriteArrayList<>()).add(new Sent(node, command));
        }
        return delegate.request(node, command, timeout);
    }

    @Override
    public AutoCloseable serve(String node, CommandHandler handler) {
        return delegate.serve(node, handler);
    }

    @Override
    public void publish(Event event) {
        delegate.publish(event);
    }

    @Override
    public AutoCloseable subscribe(Set<Class<? extends Event>> kinds, Consumer<Event> listener) {
        return delegate.subscribe(kinds, listener);
    }

    @Override
    public boolean connected() {
        return delegate.connected();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
