package io.elasticcloud.api.storage;

import io.elasticcloud.api.ApiProperties;
import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.springframework.stereotype.Component;

/** Sends commands to storage nodes and waits for the reply, as the API service's callers need. */
@Component
public class StorageClient {
    private final Transport transport;
    private final ApiProperties properties;
    private final MeterRegistry registry;

    public StorageClient(Transport transport, ApiProperties properties, MeterRegistry registry) {
        this.transport = transport;
        this.properties = properties;
        this.registry = registry;
    }

    /** The node's reply; its typed failure (or {@code system} on timeout) as an ElasticException. */
    public <R> R call(String node, Command<R> command) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "ok";
        try {
            return transport.request(node, command, properties.busTimeout()).get();
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof ElasticException elastic) {
                outcome = elastic.type().header();
                throw elastic;
            }
            outcome = "system";
            throw new ElasticException(io.elasticcloud.protocol.ErrorType.SYSTEM,
                    "storage node " + node + " failed to answer", e.getCause());
        } catch (InterruptedException e) {
            outcome = "interrupted";
            Thread.currentThread().interrupt();
            throw ElasticException.system("interrupted while waiting for storage node %s", node);
        } finally {
            sample.stop(Timer.builder("elastic.bus.requests").description("round trips of commands to nodes")
                    .tag("command", command.getClass().getSimpleName()).tag("outcome", outcome).register(registry));
        }
    }
}
