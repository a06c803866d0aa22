package io.elasticcloud.api.health;

import io.elasticcloud.api.storage.StorageNodes;
import io.elasticcloud.api.storage.StorageNodesEndpoint;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code storageNodes}: one component per storage node, {@code UP} while its heartbeat is fresh,
 * {@link HealthConfiguration#UNREACHABLE} when it went silent; details as {@code
 * /actuator/storagenodes} shows them (capacity, used and free bytes).
 */
@Component
public class StorageNodesHealthContributor implements CompositeHealthContributor {
    private final StorageNodes nodes;
    private final StorageNodesEndpoint views;

    public StorageNodesHealthContributor(StorageNodes nodes, StorageNodesEndpoint views) {
        this.nodes = nodes;
        this.views = views;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return stream().filter(e -> e.name().equals(name)).findFirst().map(HealthContributors.Entry::contributor)
                .orElse(null);
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        return nodes.known().stream().map(seen -> {
            String node = seen.status().node();
            HealthIndicator indicator = () -> {
                Health.Builder health = nodes.reachable(node) ? Health.up()
                        : Health.status(HealthConfiguration.UNREACHABLE).withDetail("reason", HealthConfiguration.SILENT);
                return health.withDetails(views.describe(seen)).build();
            };
            return new HealthContributors.Entry(node, indicator);
        });
    }
}
