package io.elasticcloud.storage.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.elasticcloud.storage.volume.VolumeBackend;
import org.junit.jupiter.api.Test;

/**
 * What a node reports of its space while a change is in flight: the API reads its room as the
 * room on disk plus the use, less what the API has promised (the change included), so the change
 * must be in the use as it is out of the room.
 */
class NodeCapacityTest {
    private static final long MIB = 1L << 20;

    @Test
    void aChangeInFlightIsInTheUseAsItIsOutOfTheRoom() throws Exception {
        VolumeBackend backend = mock(VolumeBackend.class);
        when(backend.space()).thenReturn(new VolumeBackend.Space(10 * MIB, 4 * MIB));
        when(backend.usableSpace()).thenReturn(100 * MIB);
        NodeCapacity capacity = new NodeCapacity(backend, 1000 * MIB, 16 * MIB);

        NodeCapacity.Report before = capacity.report();
        NodeCapacity.Report during = capacity.reserving(8 * MIB, capacity::report);

        assertThat(before).isEqualTo(new NodeCapacity.Report(10 * MIB, 80 * MIB));
        assertThat(during).isEqualTo(new NodeCapacity.Report(18 * MIB, 72 * MIB));
        assertThat(capacity.report()).isEqualTo(before);
    }
}
