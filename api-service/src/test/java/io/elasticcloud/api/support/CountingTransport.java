package io.elasticcloud.api.support;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The fast tests' bus, recording every command sent on it, so that a test can count the round
 * trips a call makes to the agents and storage nodes; everything else is its delegate's.
 */
public class CountingTransport implements Transport {
    /** One command sent, and to which node. */
    public record Sent(String node, Command<?> command) {
    }

    private final Transport delegate;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    public CountingTransport(Transport delegate) {
        this.delegate = delegate;
    }

    /** The commands sent to {@code nodes} since the last call, and forgets every command sent so far. */
    public List<Sent> takeSentTo(List<String> nodes) {
        List<Sent> taken = List.copyOf(sent);
        sent.removeAll(taken);
        return taken.stream().filter(s -> nodes.contains(s.node())).toList();
    }

    @Override
    public <R> CompletableFuture<R> request(String node, Command<R> command, Duration timeout) {
        sent.add(new Sent(node, command));
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
    public AutoCloseable subscribe(Consumer<Event> listener) {
        return delegate.subscribe(listener);
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
