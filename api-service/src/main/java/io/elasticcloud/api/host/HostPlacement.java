package io.elasticcloud.api.host;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.HostInfo;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.springframework.stereotype.Component;

/**
 * Chooses the host for a server that starts: a reachable host, not in maintenance ({@link
 * HostMaintenance}), outside the avoided ones with
 * room for its CPU quota (cores × MHz of the host, less the {@code cpu} of the servers on it) and
 * its memory (likewise), preferring the most free memory. Room is counted from the database (the
 * servers active or paused there), exact between heartbeats. A start ranks the hosts without a lock
 * ({@link #ranked}), then checks the host it takes again under that host's placement lock ({@link
 * #fits}, {@code Locks.host}) to the commit of the server's row, so parallel starts never overcommit
 * a host nor break {@code avoid:servers}.
 */
@Component
public class HostPlacement {
    private final HostNodes hosts;
    private final HostMaintenanceRepository maintenance;

    public HostPlacement(HostNodes hosts, HostMaintenanceRepository maintenance) {
        this.hosts = hosts;
        this.maintenance = maintenance;
    }

    /**
     * The best {@code best} hosts a server of {@code cpu} and {@code mem} fits, best first: most
     * free memory, then most free cpu, then by name. A host in maintenance is passed over like a
     * full one: when no other host fits, the answer is the same {@code full}. The hosts are kept in a
     * heap of {@code best}, not sorted: a start on a thousand hosts looks at each once.
     *
     * @param usedCpu     core MHz already given to servers on a host
     * @param usedMem     MB already given to servers on a host
     * @param avoidHosts  node names the server must not run on
     */
    public List<HostInfo> ranked(int cpu, int mem, Set<String> avoidHosts, ToLongFunction<String> usedCpu,
                                 ToLongFunction<String> usedMem, int best) {
        var candidates = hosts.reachable();
        if (candidates.isEmpty()) {
            throw ElasticException.system("no hypervisor host is reachable");
        }
        Set<String> inMaintenance = maintenance.nodes();
        // Each host's use is asked of the database once, not again at every comparison.
        record Free(HostInfo host, long cpu, long mem) {
        }
        Comparator<Free> better = Comparator.comparingLong(Free::mem).thenComparingLong(Free::cpu)
                .thenComparing(f -> f.host().node(), Comparator.reverseOrder());
        PriorityQueue<Free> kept = new PriorityQueue<>(best, better); // the worst kept first
        for (HostInfo host : candidates) {
            if (avoidHosts.contains(host.node()) || inMaintenance.contains(host.node())) {
                continue;
            }
            Free free = new Free(host, freeCpu(host, usedCpu), freeMem(host, usedMem));
            if (free.cpu() < cpu || free.mem() < mem) {
                continue;
            }
            if (kept.size() < best) {
                kept.add(free);
            } else if (better.compare(free, kept.peek()) > 0) {
                kept.poll();
                kept.add(free);
            }
        }
        if (kept.isEmpty()) {
            throw avoidHosts.isEmpty()
                    ? ElasticException.full("no host has %d core MHz and %d MB free", cpu, mem)
                    : ElasticException.full("no host away from the avoided servers and drives has %d core MHz"
                            + " and %d MB free", cpu, mem);
        }
        return kept.stream().sorted(better.reversed()).map(Free::host).toList();
    }

    /**
     * Whether a server of {@code cpu} and {@code mem} fits {@code host} now, as {@link #ranked} would
     * have it: reachable, not in maintenance nor avoided, with the room. Asked under the host's
     * placement lock, with {@code usedCpu} and {@code usedMem} read under it.
     */
    public boolean fits(HostInfo host, int cpu, int mem, Set<String> avoidHosts, long usedCpu, long usedMem) {
        return hosts.reachable(host.node()) && !avoidHosts.contains(host.node())
                && !maintenance.existsById(host.node())
                && freeCpu(host, node -> usedCpu) >= cpu && freeMem(host, node -> usedMem) >= mem;
    }

    /** A host as last heard of; {@code system} if it never was. */
    public HostInfo host(String node) {
        return hosts.host(node).orElseThrow(() -> ElasticException.system("host %s is unknown", node));
    }

    public static long capacityCpu(HostInfo host) {
        return (long) host.cores() * host.mhz();
    }

    private static long freeCpu(HostInfo host, ToLongFunction<String> usedCpu) {
        return capacityCpu(host) - usedCpu.applyAsLong(host.node());
    }

    private static long freeMem(HostInfo host, ToLongFunction<String> usedMem) {
        return host.memoryMb() - usedMem.applyAsLong(host.node());
    }
}
