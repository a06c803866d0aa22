package io.elasticcloud.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {
    @Test
    void suffixesAreBinaryAndCaseInsensitive() {
        assertThat(Sizes.parse("4194304", "x")).isEqualTo(4194304);
        assertThat(Sizes.parse("4M", "x")).isEqualTo(4194304);
        assertThat(Sizes.parse("4m", "x")).isEqualTo(4194304);
        assertThat(Sizes.parse("160G", "x")).isEqualTo(171798691840L);
        assertThat(Sizes.parse("1k", "x")).isEqualTo(1024);
        assertThat(Sizes.parse("2T", "x")).isEqualTo(2L << 40);
    }

    @Test
    void spaceAroundTheArgumentIsDropped() {
        assertThat(Sizes.parse(" 10G\n", "x")).isEqualTo(10L << 30);
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : new String[] {"", "M", "1.5G", "-1", "-0", "+1", "1 G", "4MB", "١٢٣", "10X", "99999999999T"}) {
            assertThatThrownBy(() -> Sizes.parse(bad, "--size")).as(bad).hasMessageContaining("--size must be a size");
        }
    }

    @Test
    void humanSizes() {
        assertThat(Sizes.human(512)).isEqualTo("512 B");
        assertThat(Sizes.human(3 * 1024 * 1024 + 512 * 1024)).isEqualTo("3.5 MiB");
        assertThat(Sizes.human(1L << 30)).isEqualTo("1.0 GiB");
        assertThat(Sizes.rate(85.21 * 1024 * 1024)).isEqualTo("85.2 MiB/s");
    }
}
