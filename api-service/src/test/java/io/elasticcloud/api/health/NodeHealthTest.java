package io.elasticcloud.api.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.elasticcloud.api.account.AuditLog;
import io.elasticcloud.api.host.HostAdministration;
import io.elasticcloud.api.host.HostMaintenanceRepository;
import io.elasticcloud.api.host.HostNodes;
import io.elasticcloud.api.host.HostUse;
import io.elasticcloud.api.lock.Locks;
import io.elasticcloud.api.storage.StorageNodes;
import io.elasticcloud.api.storage.StorageNodesEndpoint;
import io.elasticcloud.protocol.agent.HostInfo;
import io.elasticcloud.protocol.bus.InProcessTransport;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * A node is UP while its heartbeat is fresh and UNREACHABLE once it is 30 s old, and an unreachable
 * node (or a host in maintenance) never makes the service's own health worse than UP. The
 * repositories are mocks here: only the clock matters, and the API tests cover the rest for real.
 */
class NodeHealthTest {
    private final SteppingClock clock = new SteppingClock();
    private final InProcessTransport transport = new InProcessTransport();

    @AfterEach
    void close() {
        transport.close();
    }

    @Test
    void aHostIsUnreachableOnceItsHeartbeatIsStale() {
        HostNodes nodes = new HostNodes(Optional.of(clock));
        HostMaintenanceRepository maintenance = mock(HostMaintenanceRepository.class);
        HostAdministration hosts = new HostAdministration(nodes, mock(HostUse.class), maintenance,
                mock(Locks.class), mock(AuditLog.class), null, Optional.of(clock));
        HostsHealthContributor health = new HostsHealthContributor(hosts);
        nodes.saw(new HostInfo("host-a", "qemu", 4, 2000, 8192, 8000, 2, 1000, 512));
        nodes.saw(new HostInfo("host-b", "qemu", 4, 2000, 8192, 8000, 0, 0, 0));

        assertThat(status(health.getContributor("host-a"))).isEqualTo(Status.UP);
        clock.advance(Duration.ofSeconds(20));
        nodes.saw(new HostInfo("host-b", "qemu", 4, 2000, 8192, 8000, 0, 0, 0));
        clock.advance(Duration.ofSeconds(11));
        assertThat(status(health.getContributor("host-a"))).isEqualTo(HealthConfiguration.UNREACHABLE);
        assertThat(status(health.getContributor("host-b"))).isEqualTo(Status.UP);
        assertThat(((HealthIndicator) health.getContributor("host-a")).health().getDetails())
                .containsEntry("reachable", false).containsEntry("guests", 2)
                .containsEntry("reason", "no heartbeat in the last 30 s");
        assertThat(((HealthIndicator) health.getContributor("host-b")).health().getDetails()).doesNotContainKey("reason");
        assertThat(health.stream().map(e -> e.name())).containsExactly("host-a", "host-b");
        assertThat(health.getContributor("host-z")).isNull();
    }

    @Test
    void aStorageNodeIsUnreachableOnceItsHeartbeatIsStale() {
        StorageNodes nodes = new StorageNodes(transport, new SimpleMeterRegistry(), Optional.of(clock));
        StorageNodesHealthContributor health = new StorageNodesHealthContributor(nodes, new StorageNodesEndpoint(nodes));
        nodes.saw(new NodeStatus("pool-0", "hw-0", 1000, 400));
        assertThat(status(health.getContributor("pool-0"))).isEqualTo(Status.UP);
        assertThat(((HealthIndicator) health.getContributor("pool-0")).health().getDetails())
                .containsEntry("capacityBytes", 1000L).containsEntry("usedBytes", 400L).containsEntry("freeBytes", 600L);
        clock.advance(Duration.ofSeconds(31));
        assertThat(status(health.getContributor("pool-0"))).isEqualTo(HealthConfiguration.UNREACHABLE);
        assertThat(((HealthIndicator) health.getContributor("pool-0")).health().getDetails())
                .containsEntry("reason", "no heartbeat in the last 30 s");
    }

    @Test
    void onlyTheDatabaseOrTheBusTakeTheServiceDown() {
        StatusAggregator aggregator = new HealthConfiguration().healthStatusAggregator();
        Status unreachable = HealthConfiguration.UNREACHABLE;
        Status maintenance = HealthConfiguration.MAINTENANCE;
        // the service: db, bus, and the groups of nodes
        assertThat(aggregator.getAggregateStatus(Status.UP, Status.UP, unreachable, maintenance)).isEqualTo(Status.UP);
        assertThat(aggregator.getAggregateStatus(Status.DOWN, Status.UP, Status.UP)).isEqualTo(Status.DOWN);
        // a group of nodes is UP while one of them is
        assertThat(aggregator.getAggregateStatus(Set.of(Status.UP, unreachable))).isEqualTo(Status.UP);
        assertThat(aggregator.getAggregateStatus(Set.of(maintenance, unreachable))).isEqualTo(maintenance);
        assertThat(aggregator.getAggregateStatus(Set.of(unreachable))).isEqualTo(unreachable);
    }

    private static Status status(Object contributor) {
        return ((HealthIndicator) contributor).health().getStatus();
    }

    /** A clock the test moves forward. */
    private static final class SteppingClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
