package io.elasticcloud.api.bus;

import io.elasticcloud.api.ApiProperties;
import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * How the API service sends commands to nodes (storage nodes and node agents): waiting for the
 * reply, which comes back as the node's typed failure ({@code system} on timeout), or in the
 * background where nobody waits. Every round trip is timed as {@code elastic.bus.requests}.
 */
@Component
public class NodeClient {
    private static final Logger log = LoggerFactory.getLogger(NodeClient.class);
    /**
     * How many commands {@link #callEach} has in flight at once: enough that a thousand hosts are
     * asked within one timeout when most answer, few enough not to flood the bus with one listing.
     */
    static final int MAX_IN_FLIGHT = 64;

    private final Transport transport;
    private final ApiProperties properties;
    private final MeterRegistry registry;

    public NodeClient(Transport transport, ApiProperties properties, MeterRegistry registry) {
        this.transport = transport;
        this.properties = properties;
        this.registry = registry;
    }

    public <R> R call(String node, Command<R> command) {
        return call(node, command, properties.busTimeout());
    }

    public <R> R call(String node, Command<R> command, Duration timeout) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "ok";
        try {
            return transport.request(node, command, timeout).get();
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof ElasticException elastic) {
                outcome = elastic.type().header();
                throw elastic;
            }
            outcome = "system";
            throw new ElasticException(ErrorType.SYSTEM, "node " + node + " failed to answer", e.getCause());
        } catch (InterruptedException e) {
            outcome = "interrupted";
            Thread.currentThread().interrupt();
            throw ElasticException.system("interrupted while waiting for node %s", node);
        } finally {
            stop(sample, command, outcome);
        }
    }

    /**
     * Sends each node its command, all at once (at most {@link #MAX_IN_FLIGHT} in flight), and
     * waits for their answers until one deadline, {@code timeout} from now: a silent node costs the
     * caller at most that, however many are silent. A node that fails, does not answer by then, or
     * could not be asked before it, is left out of the answers (logged at debug).
     *
     * @return each answering node's reply
     */
    public <R> Map<String, R> callEach(Map<String, ? extends Command<R>> commands, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, R> answers = new ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
        List<CompletableFuture<?>> sent = new ArrayList<>();
        try {
            for (Map.Entry<String, ? extends Command<R>> each : commands.entrySet()) {
                if (!slots.tryAcquire(remaining(deadline), TimeUnit.NANOSECONDS)) {
                    log.debug("{} of {} nodes not asked before the deadline", commands.size() - sent.size(), commands.size());
                    break;
                }
                sent.add(ask(each.getKey(), each.getValue(), Duration.ofNanos(remaining(deadline)))
                        .handle((reply, failure) -> {
                            slots.release();
                            if (failure == null) {
                                answers.put(each.getKey(), reply);
                            }
                            return null;
                        }));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // late nodes (failures were handled above): the answers so far are the result
        }
        return Map.copyOf(answers);
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** One command's round trip, timed as {@link #call}'s; its failure is logged here, at debug. */
    private <R> CompletableFuture<R> ask(String node, Command<R> command, Duration timeout) {
        Timer.Sample sample = Timer.start(registry);
        return transport.request(node, command, timeout).whenComplete((reply, failure) -> {
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
            stop(sample, command, cause == null ? "ok"
                    : cause instanceof ElasticException elastic ? elastic.type().header() : "system");
            if (cause != null) {
                log.debug("{} to node {} failed: {}", command.getClass().getSimpleName(), node, cause.toString());
            }
        });
    }

    private void stop(Timer.Sample sample, Command<?> command, String outcome) {
        sample.stop(Timer.builder("elastic.bus.requests").description("round trips of commands to nodes")
                .tag("command", command.getClass().getSimpleName()).tag("outcome", outcome).register(registry));
    }

    /** Sends a command nobody waits for (reconciliation); a failure is logged, the next pass retries. */
    public void send(String node, Command<?> command) {
        transport.request(node, command, properties.busTimeout()).whenComplete((reply, failure) -> {
            if (failure != null) {
                log.warn("{} to node {} failed: {}", command.getClass().getSimpleName(), node, failure.getMessage());
            }
        });
    }
}
