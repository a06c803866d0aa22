package io.elasticcloud.api.metrics;

import io.elasticcloud.api.host.HostAdministration;
import io.elasticcloud.api.host.HostNodes;
import io.elasticcloud.api.host.HostView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Per hypervisor host, registered when it first reports: CPU (core MHz) and memory (MB) capacity,
 * used (given to the servers active or paused there, as placement counts it) and free; guests it
 * runs; whether it is reachable and in maintenance (1 or 0). A host that went silent keeps its
 * reachable gauge (0) and shows no sample for the others.
 */
@Component
public class HostMetrics {
    /** The gauges of one scrape read one snapshot, not the database once per gauge. */
    private static final Duration SNAPSHOT_FOR = Duration.ofSeconds(1);

    private final MeterRegistry registry;
    private final HostAdministration hosts;
    private volatile Map<String, HostView> snapshot;
    private volatile long snapshotAt;

    public HostMetrics(MeterRegistry registry, HostAdministration hosts, HostNodes nodes) {
        this.registry = registry;
        this.hosts = hosts;
        nodes.onNewHost(this::register);
    }

    private void register(String node) {
        gauge(node, "elastic.hosts.cpu.capacity", "megahertz", "core MHz the host offers", HostView::cpuCapacity);
        gauge(node, "elastic.hosts.cpu.used", "megahertz", "core MHz given to servers on the host", HostView::cpuUsed);
        gauge(node, "elastic.hosts.cpu.free", "megahertz", "core MHz still free on the host", HostView::cpuFree);
        gauge(node, "elastic.hosts.memory.capacity", "megabytes", "memory the host offers", HostView::memoryCapacityMb);
        gauge(node, "elastic.hosts.memory.used", "megabytes", "memory given to servers on the host",
                HostView::memoryUsedMb);
        gauge(node, "elastic.hosts.memory.free", "megabytes", "memory still free on the host", HostView::memoryFreeMb);
        gauge(node, "elastic.hosts.guests", null, "guests the host reports running", HostView::guests);
        gauge(node, "elastic.hosts.maintenance", null, "1 while the host is in maintenance",
                h -> h.inMaintenance() ? 1 : 0);
        Gauge.builder("elastic.hosts.reachable", () -> {
            HostView host = view(node);
            return host != null && host.reachable() ? 1 : 0;
        }).description("1 while the host's heartbeat is fresh").tag("node", node).register(registry);
    }

    private void gauge(String node, String name, String unit, String description, ToDoubleFunction<HostView> value) {
        Gauge.builder(name, () -> {
            HostView host = view(node);
            return host != null && host.reachable() ? value.applyAsDouble(host) : Double.NaN;
        }).baseUnit(unit).description(description).tag("node", node).register(registry);
    }

    private HostView view(String node) {
        long now = System.nanoTime();
        if (snapshot == null || now - snapshotAt > SNAPSHOT_FOR.toNanos()) {
            snapshot = hosts.hosts().stream().collect(Collectors.toMap(HostView::node, h -> h));
            snapshotAt = now;
        }
        return snapshot.get(node);
    }
}
