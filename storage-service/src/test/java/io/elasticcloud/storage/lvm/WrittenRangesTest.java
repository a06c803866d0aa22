package io.elasticcloud.storage.lvm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WrittenRangesTest {

    /** Known: [1024, 4096) and [8192, 9216). */
    @ParameterizedTest
    @CsvSource({
            "1024, 4096, true",
            "1536, 2048, true",
            "0, 1024, false",
            "512, 2048, false",
            "3584, 4608, false",
            "4096, 8192, false",
            "2048, 9216, false",
            "8192, 9216, true",
            "9216, 9728, false",
            "5000, 5000, true",
    })
    void coversOnlyWhatIsInOneKnownRange(long from, long to, boolean covered) {
        WrittenRanges ranges = new WrittenRanges();
        ranges.add(8192, 9216);
        ranges.add(1024, 4096);
        assertThat(ranges.covers(from, to)).isEqualTo(covered);
    }

    @Test
    void touchingAndOverlappingRangesMerge() {
        WrittenRanges ranges = new WrittenRanges();
        ranges.add(0, 512);
        ranges.add(1024, 1536);
        ranges.add(2048, 2560);
        assertThat(ranges.size()).isEqualTo(3);
        ranges.add(512, 1024); // touches the first two
        assertThat(ranges.size()).isEqualTo(2);
        assertThat(ranges.covers(0, 1536)).isTrue();
        ranges.add(1000, 3000); // overlaps the rest
        assertThat(ranges.size()).isEqualTo(1);
        assertThat(ranges.covers(0, 3000)).isTrue();
        ranges.add(100, 200); // inside
        assertThat(ranges.size()).isEqualTo(1);
    }

    @Test
    void drainMovesEverythingAndForgetClears() {
        WrittenRanges pending = new WrittenRanges();
        pending.add(0, 512);
        pending.add(4096, 8192);
        WrittenRanges known = new WrittenRanges();
        pending.drainInto(known);
        assertThat(pending.size()).isZero();
        assertThat(known.covers(4096, 8192)).isTrue();
        assertThat(known.covers(0, 512)).isTrue();
        known.forget();
        assertThat(known.covers(0, 512)).isFalse();
    }

    @Test
    void scatteredRangesAreBounded() {
        WrittenRanges ranges = new WrittenRanges();
        for (int i = 0; i <= WrittenRanges.MAX_RANGES; i++) {
            ranges.add(i * 1024L, i * 1024L + 512);
        }
        assertThat(ranges.size()).isLessThanOrEqualTo(WrittenRanges.MAX_RANGES);
        long last = WrittenRanges.MAX_RANGES * 1024L;
        assertThat(ranges.covers(last, last + 512)).isTrue();
    }
}
