package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.bus.MessageCodec.Encoded;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requesting side of the bus, shared by both transports: the requests waiting for a reply,
 * keyed by correlation id, each with its own timeout. Whatever ends a request first (reply, error,
 * timeout, close) wins; anything later, such as the reply to a redelivered command, is dropped.
 *
 * <p>Futures are completed on a pool of their own, never on a broker or handler thread: a caller
 * that chains blocking work onto a reply must not stall the delivery of every other reply.
 */
final class PendingReplies implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PendingReplies.class);

    record Registered<R>(String correlationId, CompletableFuture<R> future) {
    }

    private record Pending(String node, String command, Class<?> replyType, CompletableFuture<Object> future) {
    }

    private final MessageCodec codec;
    private final ConcurrentMap<String, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final ExecutorService callbacks;

    PendingReplies(MessageCodec codec, String threadPrefix) {
        this.codec = codec;
        this.timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads(threadPrefix + "-timeout"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.callbacks = Executors.newCachedThreadPool(new DaemonThreads(threadPrefix + "-reply"));
    }

    @SuppressWarnings("unchecked")
    <R> Registered<R> register(String node, Command<R> command, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        String id = UUID.randomUUID().toString();
        String name = codec.typeName(command.getClass());
        CompletableFuture<Object> future = new CompletableFuture<>();
        pending.put(id, new Pending(node, name, codec.replyType(command.getClass()), future));
        ScheduledFuture<?> timeoutTask = timer.schedule(
                () -> fail(id, BusErrors.timedOut(node, name, timeout)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        // Also covers a caller who cancels: the entry and its timer go either way.
        future.whenComplete((reply, error) -> {
            pending.remove(id);
            timeoutTask.cancel(false);
        });
        return new Registered<>(id, (CompletableFuture<R>) future);
    }

    /** Settles a request with the reply as it came off the wire. */
    void complete(String correlationId, Encoded reply) {
        Pending request = correlationId == null ? null : pending.remove(correlationId);
        if (request == null) {
            log.debug("Dropped a reply nobody waits for any more (correlation id {})", correlationId);
            return;
        }
        Object decoded;
        try {
            decoded = codec.decode(reply.type(), reply.body());
        } catch (IllegalArgumentException e) {
            log.error("Node {} answered {} with a reply that cannot be read", request.node(), request.command(), e);
            settle(request, null, BusErrors.unreadable(request.node(), "reply to " + request.command()));
            return;
        }
        if (decoded instanceof ErrorReply error) {
            settle(request, null, new ElasticException(error.type(), error.message()));
        } else if (request.replyType().isInstance(decoded)) {
            settle(request, decoded, null);
        } else {
            log.error("Node {} answered {} with a {} where a {} was due", request.node(), request.command(),
                    reply.type(), request.replyType().getName());
            settle(request, null, BusErrors.unreadable(request.node(), "reply to " + request.command()));
        }
    }

    void fail(String correlationId, ElasticException error) {
        Pending request = correlationId == null ? null : pending.remove(correlationId);
        if (request != null) {
            settle(request, null, error);
        }
    }

    void failAll(ElasticException error) {
        for (String id : pending.keySet()) {
            fail(id, error);
        }
    }

    private void settle(Pending request, Object reply, ElasticException error) {
        Runnable settle = () -> {
            if (error == null) {
                request.future().complete(reply);
            } else {
                request.future().completeExceptionally(error);
            }
        };
        try {
            callbacks.execute(settle);
        } catch (RejectedExecutionException e) {
            settle.run(); // closing: no pool left to hand it to
        }
    }

    @Override
    public void close() {
        failAll(BusErrors.closed());
        timer.shutdownNow();
        callbacks.shutdown();
    }
}
