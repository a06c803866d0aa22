package io.elasticcloud.protocol.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VncSpecTest {
    @Test
    void itsTextNeverShowsThePassword() {
        assertThat(new GuestSpec.VncSpec("127.10.0.5", "Pa55word", true).toString())
                .doesNotContain("Pa55word").contains("127.10.0.5", "(set)");
        assertThat(new GuestSpec.VncSpec("127.10.0.5", null, false).toString()).contains("none");
    }
}
