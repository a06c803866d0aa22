package io.elasticcloud.api.host;

import io.elasticcloud.protocol.agent.HostInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The hypervisor hosts this API service has heard from, by their node agents' heartbeats (fed by
 * the server side's reconciler). A host silent for longer than {@link #STALE_AFTER} is
 * unreachable: nothing is placed there, and its servers are {@code dead}.
 */
@Component
public class HostNodes {
    public static final Duration STALE_AFTER = Duration.ofSeconds(30);

    /** A host's latest report and when it arrived. */
    public record Report(HostInfo host, Instant at) {
    }

    private final Map<String, Report> hosts = new ConcurrentHashMap<>();
    private final List<Consumer<String>> newHostListeners = new CopyOnWriteArrayList<>();
    private final Clock clock;
    private final Instant since;

    public HostNodes(Optional<Clock> clock) {
        this.clock = clock.orElse(Clock.systemUTC());
        this.since = this.clock.instant();
    }

    public void saw(HostInfo host) {
        if (hosts.put(host.node(), new Report(host, clock.instant())) == null) {
            newHostListeners.forEach(listener -> listener.accept(host.node()));
        }
    }

    /**
     * Calls {@code listener} with the name of every host heard of for the first time since this
     * service started, from now on and (at once) for those heard of already; metrics use it.
     */
    public void onNewHost(Consumer<String> listener) {
        newHostListeners.add(listener);
        hosts.keySet().forEach(listener);
    }

    public boolean reachable(String node) {
        return reachable(node, clock.instant());
    }

    public boolean reachable(String node, Instant now) {
        Report seen = hosts.get(node);
        return seen != null && seen.at().isAfter(heardAfter(now));
    }

    /** A host is reachable while its latest report came after this: {@link #STALE_AFTER} before {@code now}. */
    private static Instant heardAfter(Instant now) {
        return now.minus(STALE_AFTER);
    }

    /**
     * Whether {@code node} has been silent for {@link #STALE_AFTER}: never heard since this service
     * started counts only once the service itself has listened that long.
     */
    public boolean silent(String node, Instant now) {
        return !reachable(node, now) && since.plus(STALE_AFTER).isBefore(now);
    }

    public List<HostInfo> reachable() {
        Instant after = heardAfter(clock.instant()); // once, not a sum per host
        List<HostInfo> reachable = new ArrayList<>(hosts.size());
        for (Report report : hosts.values()) {
            if (report.at().isAfter(after)) {
                reachable.add(report.host());
            }
        }
        return reachable;
    }

    /** Every host heard of since this service started, reachable or not, by name. */
    public List<Report> known() {
        return hosts.values().stream().sorted(Comparator.comparing(r -> r.host().node())).toList();
    }

    public Optional<Report> report(String node) {
        return Optional.ofNullable(hosts.get(node));
    }

    public Optional<HostInfo> host(String node) {
        return report(node).map(Report::host);
    }
}
