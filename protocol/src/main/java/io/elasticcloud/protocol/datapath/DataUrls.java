package io.elasticcloud.protocol.datapath;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.StorageNodeHeartbeat;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where each storage node serves its bytes: the {@link NodeStatus#dataUrl()} of its latest
 * heartbeat, or, for a node not heard from yet (this process just started), of its answer to
 * {@link DescribeNode}. A node that advertises none (a single host's) has no URL: {@code system}.
 */
public final class DataUrls implements Function<String, URI>, AutoCloseable {
    static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, URI> urls = new ConcurrentHashMap<>();
    private final Transport transport;
    private final AutoCloseable subscription;

    public DataUrls(Transport transport) {
        this.transport = transport;
        this.subscription = transport.subscribe(Set.of(StorageNodeHeartbeat.class), this::onEvent);
    }

    private void onEvent(Event event) {
        if (event instanceof StorageNodeHeartbeat heartbeat) {
            saw(heartbeat.status());
        }
    }

    private void saw(NodeStatus status) {
        if (status.dataUrl() != null && !status.dataUrl().isBlank()) {
            urls.put(status.node(), URI.create(status.dataUrl().strip()));
        }
    }

    @Override
    public URI apply(String node) {
        URI url = urls.get(node);
        if (url == null) {
            try {
                saw(transport.request(node, new DescribeNode("data-url-" + UUID.randomUUID()), ASK_TIMEOUT).join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof ElasticException failure) {
                    throw failure;
                }
                throw e;
            }
            url = urls.get(node);
        }
        if (url == null) {
            throw ElasticException.system("storage node %s serves no data path to other processes", node);
        }
        return url;
    }

    @Override
    public void close() throws Exception {
        subscription.close();
    }
}
