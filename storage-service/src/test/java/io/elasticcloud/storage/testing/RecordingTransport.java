package io.elasticcloud.storage.testing;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A test-only bus: requests call the served handler directly; published events are recorded. */
public final class RecordingTransport implements Transport {
    private final Map<String, CommandHandler> handlers = new ConcurrentHashMap<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    @Override
    @SuppressWarnings("unchecked")
    public <R> CompletableFuture<R> request(String node, Command<R> command, Duration timeout) {
        CommandHandler handler = handlers.get(node);
        if (handler == null) {
            return CompletableFuture.failedFuture(ElasticException.system("no node %s", node));
        }
        try {
            return CompletableFuture.completedFuture((R) handler.handle(command));
        } catch (ElasticException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(ElasticException.system("node %s failed", node));
        }
    }

    /** Sends and waits, rethrowing the node's {@link ElasticException}. */
    public <R> R call(String node, Command<R> command) {
        try {
            return request(node, command, Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (ElasticException) e.getCause();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public AutoCloseable serve(String node, CommandHandler handler) {
        handlers.put(node, handler);
        return () -> handlers.remove(node, handler);
    }

    public boolean serving(String node) {
        return handlers.containsKey(node);
    }

    @Override
    public void publish(Event event) {
        events.add(event);
        listeners.forEach(l -> l.accept(event));
    }

    @Override
    public AutoCloseable subscribe(Set<Class<? extends Event>> kinds, Consumer<Event> listener) {
        Consumer<Event> ofKinds = event -> {
            if (kinds.contains(event.getClass())) {
                listener.accept(event);
            }
        };
        listeners.add(ofKinds);
        return () -> listeners.remove(ofKinds);
    }

    public List<Event> events() {
        return new ArrayList<>(events);
    }

    public <E extends Event> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Waits (bounded) until an event matches, failing the test on timeout. */
    public <E extends Event> E await(Class<E> type, Predicate<E> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (E e : events(type)) {
                if (match.test(e)) {
                    return e;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no matching " + type.getSimpleName() + " within " + timeout + "; got " + events);
    }

    @Override
    public boolean connected() {
        return true;
    }

    @Override
    public void close() {
        handlers.clear();
        listeners.clear();
    }
}
