package io.elasticcloud.api.host;

import io.elasticcloud.api.account.AuditEntry;
import io.elasticcloud.api.account.AuditLog;
import io.elasticcloud.api.common.AdminPage;
import io.elasticcloud.api.lock.Locks;
import io.elasticcloud.protocol.ElasticException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hosts as admins run them: what each reported and holds, and maintenance. A host in
 * maintenance gets no new server ({@link HostPlacement} passes it over); the servers on it keep
 * running. The flag is a row ({@link HostMaintenance}), so a restart keeps it, and every change is
 * written to the audit log in the same transaction. It is set under the placement lock: once the
 * call has answered, no start still being placed can land on the host.
 */
@Service
public class HostAdministration {
    private final HostNodes hosts;
    private final HostUse servers;
    private final HostMaintenanceRepository maintenance;
    private final Locks locks;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public HostAdministration(HostNodes hosts, HostUse servers, HostMaintenanceRepository maintenance,
                              Locks locks, AuditLog audit, TransactionTemplate tx, Optional<Clock> clock) {
        this.hosts = hosts;
        this.servers = servers;
        this.maintenance = maintenance;
        this.locks = locks;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** Every host heard of since start, and every host in maintenance, by name. */
    public List<HostView> hosts() {
        return hosts(new AdminPage(0, Integer.MAX_VALUE));
    }

    /**
     * A page of {@link #hosts()}: only the hosts of the page are looked at, what their servers use
     * read in one query for all of them.
     */
    public List<HostView> hosts(AdminPage page) {
        Map<String, HostMaintenance> flags = maintenance.findAll().stream()
                .collect(Collectors.toMap(HostMaintenance::node, Function.identity()));
        TreeSet<String> nodes = new TreeSet<>(flags.keySet());
        hosts.known().forEach(r -> nodes.add(r.host().node()));
        Map<String, HostUse.Used> used = servers.usedByHost();
        return page.of(List.copyOf(nodes)).stream()
                .map(node -> view(node, flags.get(node), used.getOrDefault(node, HostUse.Used.NONE))).toList();
    }

    /** One host; {@code missing} if it never reported and is not in maintenance. */
    public HostView host(String node) {
        HostMaintenance flag = maintenance.findById(node).orElse(null);
        if (flag == null && hosts.report(node).isEmpty()) {
            throw ElasticException.missing("no host %s", node);
        }
        return view(node, flag, new HostUse.Used(servers.cpuOn(node), servers.memOn(node)));
    }

    /** Puts the host into maintenance ({@code true}) or back; a change to what it is already does nothing. */
    public HostView maintenance(String actor, String node, boolean on) {
        host(node);
        locks.host(node, () -> {
            tx.executeWithoutResult(status -> {
                Optional<HostMaintenance> flag = maintenance.findById(node);
                Instant now = clock.instant();
                if (on && flag.isEmpty()) {
                    maintenance.save(new HostMaintenance(node, now, actor));
                    audit.save(AuditEntry.ofHost(now, actor, "maintenance-on", node, null));
                } else if (!on && flag.isPresent()) {
                    maintenance.delete(flag.get());
                    audit.save(AuditEntry.ofHost(now, actor, "maintenance-off", node,
                            "in maintenance since " + flag.get().since()));
                }
            });
        });
        return host(node);
    }

    private HostView view(String node, HostMaintenance flag, HostUse.Used used) {
        Optional<HostNodes.Report> report = hosts.report(node);
        return new HostView(node, hosts.reachable(node), report.map(HostNodes.Report::host).orElse(null),
                report.map(HostNodes.Report::at).orElse(null),
                used.cpu(), used.mem(),
                flag);
    }
}
