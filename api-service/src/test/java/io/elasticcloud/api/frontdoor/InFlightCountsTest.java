package io.elasticcloud.api.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InFlightCountsTest {

    @Test
    void atMostTheLimitPerKeyAndNothingKeptOnceAllHaveEnded() {
        InFlightCounts counts = new InFlightCounts(2);
        assertThat(counts.tryEnter("a")).isTrue();
        assertThat(counts.tryEnter("a")).isTrue();
        assertThat(counts.tryEnter("a")).isFalse();
        assertThat(counts.tryEnter("b")).as("another key has its own count").isTrue();
        counts.leave("a");
        assertThat(counts.tryEnter("a")).isTrue();
        counts.leave("a");
        counts.leave("a");
        counts.leave("b");
        assertThat(counts.keys()).as("no entry outlives its requests").isZero();
    }
}
