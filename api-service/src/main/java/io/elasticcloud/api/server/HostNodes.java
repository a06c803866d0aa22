package io.elasticcloud.api.server;

import io.elasticcloud.protocol.agent.HostInfo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The hypervisor hosts this API service has heard from, by their node agents' heartbeats (fed by
 * {@link ServerReconciler}). A host silent for longer than {@link #STALE_AFTER} is unreachable:
 * nothing is placed there, and its servers are {@code dead}.
 */
@Component
public class HostNodes {
    static final Duration STALE_AFTER = Duration.ofSeconds(30);

    private record Seen(HostInfo host, Instant at) {
    }

    private final Map<String, Seen> hosts = new ConcurrentHashMap<>();
    private final Clock clock;
    private final MeterRegistry registry;
    private final Instant since;

    public HostNodes(MeterRegistry registry, Optional<Clock> clock) {
        this.clock = clock.orElse(Clock.systemUTC());
        this.registry = registry;
        this.since = this.clock.instant();
    }

    public void saw(HostInfo host) {
        if (hosts.put(host.node(), new Seen(host, clock.instant())) == null) {
            String node = host.node();
            Gauge.builder("elastic.hosts.guests", () -> reachable(node) ? hosts.get(node).host().guests() : Double.NaN)
                    .description("guests a host reports running").tags("node", node).register(registry);
        }
    }

    public boolean reachable(String node) {
        return reachable(node, clock.instant());
    }

    boolean reachable(String node, Instant now) {
        Seen seen = hosts.get(node);
        return seen != null && seen.at().plus(STALE_AFTER).isAfter(now);
    }

    /**
     * Whether {@code node} has been silent for {@link #STALE_AFTER}: never heard since this service
     * started counts only once the service itself has listened that long.
     */
    boolean silent(String node, Instant now) {
        return !reachable(node, now) && since.plus(STALE_AFTER).isBefore(now);
    }

    public List<HostInfo> reachable() {
        Instant now = clock.instant();
        return hosts.values().stream().filter(s -> reachable(s.host().node(), now)).map(Seen::host).toList();
    }

    public Optional<HostInfo> host(String node) {
        return Optional.ofNullable(hosts.get(node)).map(Seen::host);
    }
}
