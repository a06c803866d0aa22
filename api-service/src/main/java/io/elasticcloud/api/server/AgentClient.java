package io.elasticcloud.api.server;

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

/** Sends commands to node agents: waiting for the reply, or in the background where nobody waits. */
@Component
public class AgentClient {
    private static final Logger log = LoggerFactory.getLogger(AgentClient.class);

    private final Transport transport;
    private final ApiProperties properties;
    private final MeterRegistry registry;

    public AgentClient(Transport transport, ApiProperties properties, MeterRegistry registry) {
        this.transport = transport;
        this.properties = properties;
        this.registry = registry;
    }

    /** The agent's reply; its typed failure (or {@code system} on timeout) as an ElasticException. */
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
            throw new ElasticException(ErrorType.SYSTEM, "host " + node + " failed to answer", e.getCause());
        } catch (InterruptedException e) {
            outcome = "interrupted";
            Thread.currentThread().interrupt();
            throw ElasticException.system("interrupted while waiting for host %s", node);
        } finally {
            sample.stop(Timer.builder("elastic.bus.requests").description("round trips of commands to nodes")
                    .tag("command", command.getClass().getSimpleName()).tag("outcome", outcome).register(registry));
        }
    }

    /** Sends a command nobody waits for (reconciliation); a failure is logged, the next pass retries. */
    public void send(String node, Command<?> command) {
        transport.request(node, command, properties.busTimeout()).whenComplete((reply, failure) -> {
            if (failure != null) {
                log.warn("{} to host {} failed: {}", command.getClass().getSimpleName(), node, failure.getMessage());
            }
        });
    }
}
