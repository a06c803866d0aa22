package io.elasticcloud.api.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletInputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class MinRateBodyTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(42 * SECOND);

    private ServletInputStream body(int bytes) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/drives/x/write");
        request.setContent(new byte[bytes]);
        return new MinRateBody(request, 20 * SECOND, 500, now::get).getInputStream();
    }

    @Test
    void anyPaceWithinTheGrace() throws Exception {
        ServletInputStream in = body(10);
        now.addAndGet(19 * SECOND);
        assertThat(in.read()).isZero();
    }

    @Test
    void afterTheGraceTheAverageMustKeepUp() throws Exception {
        ServletInputStream in = body(20_000);
        byte[] buffer = new byte[1000];
        now.addAndGet(21 * SECOND);
        assertThat(in.read(buffer)).as("1000 bytes after 1 s past the grace: 500/s owed").isEqualTo(1000);
        now.addAndGet(10 * SECOND);
        assertThatThrownBy(() -> in.read(buffer)).isInstanceOf(SlowBodyException.class)
                .hasMessageContaining("too slowly");
    }

    @Test
    void theEndOfTheBodyIsNeverTooSlow() throws Exception {
        ServletInputStream in = body(1);
        assertThat(in.read()).isZero();
        now.addAndGet(3600 * SECOND);
        assertThat(in.read()).isEqualTo(-1);
    }
}
