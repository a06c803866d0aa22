package io.elasticcloud.storage.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger's running totals, and measurements that raced a change. */
class VolumeLedgerTest {
    @Test
    void totalsFollowEveryChange() {
        VolumeLedger ledger = new VolumeLedger();
        ledger.put("a", 100, 40);
        ledger.put("b", 50, 80);
        assertThat(ledger.space()).as("a file holding more than its footprint counts none unwritten")
                .isEqualTo(new VolumeBackend.Space(150, 60));
        ledger.resize("a", 300);
        assertThat(ledger.space()).isEqualTo(new VolumeBackend.Space(350, 260));
        ledger.remove("b");
        ledger.remove("missing");
        assertThat(ledger.space()).isEqualTo(new VolumeBackend.Space(300, 260));
        ledger.remove("a");
        assertThat(ledger.space()).isEqualTo(new VolumeBackend.Space(0, 0));
    }

    @Test
    void aMeasurementIsNotAppliedToAVolumeChangedOrRemovedWhileItRan() {
        VolumeLedger ledger = new VolumeLedger();
        ledger.put("kept", 100, 0);
        ledger.put("grown", 100, 0);
        ledger.put("gone", 100, 0);
        ledger.put("again", 100, 0);
        Map<String, VolumeLedger.Entry> snapshot = ledger.snapshot();
        ledger.resize("grown", 200);
        ledger.remove("gone");
        ledger.remove("again");
        ledger.put("again", 100, 0);
        ledger.put("new", 100, 0);
        ledger.measured(snapshot, Map.of("kept", 100L, "grown", 100L, "gone", 100L, "again", 100L, "new", 100L));
        // only "kept" was measured as it still is; the others keep what they had
        assertThat(ledger.space()).isEqualTo(new VolumeBackend.Space(500, 400));
    }
}
