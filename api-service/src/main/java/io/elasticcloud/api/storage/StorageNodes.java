package io.elasticcloud.api.storage;

import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.StorageNodeHeartbeat;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import org.springframework.stereotype.Component;

/**
 * The storage nodes this API service has heard from, by their heartbeats. A node silent for
 * longer than {@link #STALE_AFTER} is unreachable: nothing new is placed there and its drives show
 * {@code status inactive}.
 */
@Component
public class StorageNodes {
    static final Duration STALE_AFTER = Duration.ofSeconds(30);

    /** A node's latest status and when it arrived. */
    public record Seen(NodeStatus status, Instant at) {
    }

    private final Map<String, Seen> nodes = new ConcurrentHashMap<>();
    private final Clock clock;
    private final MeterRegistry registry;
    private final AutoCloseable subscription;

    public StorageNodes(Transport transport, MeterRegistry registry, Optional<Clock> clock) {
        this.clock = clock.orElse(Clock.systemUTC());
        this.registry = registry;
        this.subscription = transport.subscribe(Set.of(StorageNodeHeartbeat.class), this::onEvent);
    }

    private void onEvent(Event event) {
        if (event instanceof StorageNodeHeartbeat heartbeat) {
            saw(heartbeat.status());
        }
    }

    /** Records a node's status (from a heartbeat or a DescribeNode reply). */
    public void saw(NodeStatus status) {
        if (nodes.put(status.node(), new Seen(status, clock.instant())) == null) {
            gauge("elastic.storage.capacity", status, NodeStatus::capacityBytes, "bytes the node may hand out");
            gauge("elastic.storage.used", status, NodeStatus::usedBytes, "bytes the volumes on the node may take on disk (sizes, headers, key files)");
            gauge("elastic.storage.free", status, NodeStatus::freeBytes, "bytes a new volume may still take on the node (within capacity and room on disk)");
        }
    }

    /** A gauge of the node's latest status; NaN (no sample) while it is unreachable. */
    private void gauge(String name, NodeStatus first, ToLongFunction<NodeStatus> value, String description) {
        String node = first.node();
        Gauge.builder(name, () -> reachable(node) ? value.applyAsLong(nodes.get(node).status()) : Double.NaN)
                .baseUnit("bytes").description(description)
                .tags("node", node, "hardware", first.hardware()).register(registry);
    }

    public boolean reachable(String node) {
        Seen seen = nodes.get(node);
        return seen != null && seen.at().plus(STALE_AFTER).isAfter(clock.instant());
    }

    /** The nodes that are reachable now. */
    public List<NodeStatus> reachable() {
        return nodes.values().stream()
                .filter(s -> reachable(s.status().node()))
                .map(Seen::status)
                .toList();
    }

    /** Every node heard of since this service started, reachable or not, by name. */
    public List<Seen> known() {
        return nodes.values().stream().sorted(Comparator.comparing(s -> s.status().node())).toList();
    }

    public Optional<NodeStatus> status(String node) {
        return Optional.ofNullable(nodes.get(node)).map(Seen::status);
    }

    @PreDestroy
    void close() throws Exception {
        subscription.close();
    }
}
