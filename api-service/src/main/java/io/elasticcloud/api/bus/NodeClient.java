package io.elasticcloud.api.bus;

import io.elasticcloud.api.ApiProperties;
import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
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
            sample.stop(Timer.builder("elastic.bus.requests").description("round trips of commands to nodes")
                    .tag("command", command.getClass().getSimpleName()).tag("outcome", outcome).register(registry));
        }
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
