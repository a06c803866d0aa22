package io.elasticcloud.storage;

import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.storage.node.StorageNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code storagePools}, the health of a storage process's own pools: one component per pool,
 * {@code UP} while its backend answers what its heartbeat reports (the volumes' footprint and the
 * room on its disk, which reads the disk or the volume group), {@code DOWN} with the reason when
 * it cannot (the pool's directory gone, its file system unmounted, LVM not answering). Details:
 * the figures of the heartbeat. Asked at each call, not cached: what it shows is the disk now.
 */
public final class StoragePoolsHealth implements CompositeHealthContributor {
    private final StoragePools pools;

    public StoragePoolsHealth(StoragePools pools) {
        this.pools = pools;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return pools.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .map(StoragePoolsHealth::indicator).orElse(null);
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        return pools.nodes().stream().map(n -> new HealthContributors.Entry(n.name(), indicator(n)));
    }

    private static HealthIndicator indicator(StorageNode node) {
        return () -> {
            NodeStatus status;
            try {
                status = node.status();
            } catch (IOException | RuntimeException e) {
                // the exception's kind and message (a path, an LVM error), not its trace
                return Health.down().withDetail("reason", e.getClass().getSimpleName() + ": " + e.getMessage())
                        .build();
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("hardware", status.hardware());
            details.put("capacityBytes", status.capacityBytes());
            details.put("usedBytes", status.usedBytes());
            details.put("freeBytes", status.freeBytes());
            if (status.roomOnDiskBytes() != null) {
                details.put("roomOnDiskBytes", status.roomOnDiskBytes());
            }
            return Health.up().withDetails(details).build();
        };
    }
}
