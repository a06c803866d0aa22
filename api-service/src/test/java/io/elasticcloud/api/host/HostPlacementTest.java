package io.elasticcloud.api.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.agent.HostInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ranking of hosts for a start: the best few, best first, without sorting them all. */
class HostPlacementTest {
    private final HostNodes hosts = new HostNodes(Optional.empty());
    private final HostMaintenanceRepository maintenance = mock(HostMaintenanceRepository.class);
    private final HostPlacement placement = new HostPlacement(hosts, maintenance);

    /** Every host 4 cores of 1,000 MHz and 4,096 MB; what servers there use comes from {@code used}. */
    private List<String> ranked(int cpu, int mem, Set<String> avoid, Map<String, long[]> used, int best) {
        return placement.ranked(cpu, mem, avoid, node -> used.getOrDefault(node, new long[2])[0],
                node -> used.getOrDefault(node, new long[2])[1], best).stream().map(HostInfo::node).toList();
    }

    private void host(String node) {
        hosts.saw(new HostInfo(node, "qemu", 4, 1000, 4096, 4096, 0, 0, 0));
    }

    @Test
    void answersTheBestFewMostFreeMemoryThenCpuThenByName() {
        for (String node : List.of("h5", "h4", "h3", "h2", "h1", "h0")) {
            host(node);
        }
        when(maintenance.nodes()).thenReturn(Set.of());
        Map<String, long[]> used = Map.of(
                "h0", new long[] {0, 2048},    // half its memory used
                "h1", new long[] {3000, 0},    // most of its cpu used
                "h2", new long[] {0, 0},
                "h3", new long[] {0, 0},
                "h4", new long[] {1000, 0});

        assertThat(ranked(100, 64, Set.of(), used, 3)).containsExactly("h2", "h3", "h5");
        assertThat(ranked(100, 64, Set.of(), used, 10)).containsExactly("h2", "h3", "h5", "h4", "h1", "h0");
        assertThat(ranked(1500, 64, Set.of(), used, 10)).as("h1 has 1,000 MHz left")
                .containsExactly("h2", "h3", "h5", "h4", "h0");
        assertThat(ranked(100, 3000, Set.of(), used, 10)).as("h0 has 2,048 MB left")
                .containsExactly("h2", "h3", "h5", "h4", "h1");
    }

    @Test
    void passesOverAvoidedHostsAndHostsInMaintenanceAndIsFullWhenNoneIsLeft() {
        host("h0");
        host("h1");
        host("h2");
        when(maintenance.nodes()).thenReturn(Set.of("h1"));

        assertThat(ranked(100, 64, Set.of("h0"), Map.of(), 8)).containsExactly("h2");
        assertThatThrownBy(() -> ranked(100, 64, Set.of("h0", "h2"), Map.of(), 8))
                .isInstanceOfSatisfying(ElasticException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.FULL));
        assertThatThrownBy(() -> ranked(5000, 64, Set.of(), Map.of(), 8))
                .isInstanceOfSatisfying(ElasticException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.FULL));
    }
}
