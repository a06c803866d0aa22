package io.elasticcloud.api.health;

import io.elasticcloud.api.host.HostAdministration;
import io.elasticcloud.api.host.HostView;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code hosts}: one component per hypervisor host, as {@code /actuator/hosts} lists them: {@code
 * UP} while its heartbeat is fresh, {@link HealthConfiguration#MAINTENANCE} when an admin took it
 * out of placement, {@link HealthConfiguration#UNREACHABLE} when it went silent; details are its
 * guests, capacity used and free, maintenance. Read at each call, so new hosts appear by themselves.
 */
@Component
public class HostsHealthContributor implements CompositeHealthContributor {
    private final HostAdministration hosts;

    public HostsHealthContributor(HostAdministration hosts) {
        this.hosts = hosts;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return hosts.hosts().stream().filter(h -> h.node().equals(name)).findFirst()
                .map(HostsHealthContributor::indicator).orElse(null);
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        return hosts.hosts().stream().map(h -> new HealthContributors.Entry(h.node(), indicator(h)));
    }

    private static HealthIndicator indicator(HostView host) {
        Status status = !host.reachable() ? HealthConfiguration.UNREACHABLE
                : host.inMaintenance() ? HealthConfiguration.MAINTENANCE : Status.UP;
        Health.Builder health = Health.status(status).withDetails(host.describe());
        if (status == HealthConfiguration.UNREACHABLE) {
            health.withDetail("reason", HealthConfiguration.SILENT);
        }
        return health::build;
    }
}
