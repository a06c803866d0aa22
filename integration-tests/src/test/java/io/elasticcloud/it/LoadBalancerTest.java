package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The routing rules of {@code deploy/load-balancer.sh} (HAProxy as an operator starts it), before
 * stand-in instances on loopback whose health the test sets: an instance failing its check gets
 * nothing while another passes; when every instance fails its check (load, not death: the checks of
 * a 2-core machine under 50 clients took over 2 s) every one still gets requests; an instance that
 * refuses connections is skipped even then; with none listening the answer is 503 in the API's
 * shape ({@code X-Elastic-Error: system}).
 */
class LoadBalancerTest {
    /** HAProxy checks every 2 s and takes an instance out after 3 failures, back after 2 successes. */
    private static final Duration SETTLED = Duration.ofSeconds(30);

    private StandIn a;
    private StandIn b;
    private LoadBalancer lb;

    @AfterEach
    void stop() {
        if (lb != null) {
            lb.close();
        }
        for (StandIn s : new StandIn[] {a, b}) {
            if (s != null) {
                s.server.stop(0);
            }
        }
    }

    @Test
    void routesAroundFailedChecksButNotAroundEveryInstance() throws IOException {
        a = new StandIn("a");
        b = new StandIn("b");
        b.healthy = false;
        lb = LoadBalancer.onPorts("lb-rules", a.port(), b.port());
        PlainHttp http = lb.http();

        Wait.until("only the healthy instance answers", SETTLED, () -> answeredBy(http).equals(Set.of("a")));
        assertThat(answeredBy(http)).as("still only the healthy one").containsExactly("a");

        a.healthy = false;
        Wait.until("with every check failing, every instance answers again", SETTLED,
                () -> answeredBy(http).equals(Set.of("a", "b")));

        b.server.stop(0);
        Wait.until("an instance refusing connections is skipped, checks failing or not", SETTLED,
                () -> answeredBy(http).equals(Set.of("a")));

        a.server.stop(0);
        PlainHttp.Reply none = http.get("/ping", null);
        assertThat(none.status()).isEqualTo(503);
        assertThat(none.header("X-Elastic-Error")).contains("system");
        assertThat(none.text()).contains("no API instance is available");
    }

    /** Which instances answered 12 requests in a row (a failed request counts as "failed"). */
    private static Set<String> answeredBy(PlainHttp http) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            PlainHttp.Reply r = http.get("/ping", null);
            seen.add(r.status() == 200 ? r.text() : "failed " + r.status());
        }
        return seen;
    }

    /** An instance stand-in: {@code GET /actuator/health} 200 or 503 as set, anything else 200 with its name. */
    private static final class StandIn {
        final HttpServer server;
        volatile boolean healthy = true;

        StandIn(String name) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", exchange -> {
                boolean health = exchange.getRequestURI().getPath().equals("/actuator/health");
                byte[] body = (health ? (healthy ? "UP" : "DOWN") : name).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(health && !healthy ? 503 : 200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }
    }
}
