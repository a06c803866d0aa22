package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The browser console with two API instances behind HAProxy ({@link StandardGuestSystem}, shared
 * with the client tests): a token issued by one instance is spent by the other (tokens are rows of
 * the database, not one JVM's), and a console opened through the load balancer is relayed by
 * whichever instance it reaches. VncTlsTest covers the console's security and TLS guests on a
 * single instance.
 */
class BrowserConsoleTest {
    @RegisterExtension
    static final SharedGuestSystem CLOUD = new SharedGuestSystem();
    private static StandardGuestSystem cloud;

    @BeforeAll
    static void startSystem() {
        cloud = CLOUD.get();
    }

    @Test
    void aTokenIssuedByOneInstanceOpensTheConsoleOnTheOtherAndThroughTheLoadBalancer() throws Exception {
        String auth = PlainHttp.basic(CLOUD.newCustomer());
        PlainHttp first = cloud.api.http();
        PlainHttp.Reply created = first.post("/servers/create", auth, "name console\ncpu 200\nmem 128\nide:0:0 "
                + SharedGuestSystem.IMAGE + "\nide:0:0:media cdrom\nboot ide:0:0\nvnc:password s3cr3t\n");
        assertThat(created.status()).as(created.describe()).isEqualTo(200);
        String server = PlainHttp.parseObject(created.text()).get("server");
        try {
            String token = console(first, auth, server);
            URI second = cloud.secondApi.baseUri();
            try (ConsoleSocket socket = new ConsoleSocket(second, "http://127.0.0.1:" + second.getPort(), token)) {
                RfbClient.Screen screen = RfbClient.viewThroughProxy(socket.in, socket.out);
                assertThat(screen.securityTypes()).containsExactly((byte) 1);
                assertThat(screen.width()).isGreaterThanOrEqualTo(640);
            }

            URI balanced = cloud.endpoint();
            String viaLb = console(cloud.http(), auth, server);
            try (ConsoleSocket socket = new ConsoleSocket(balanced, "http://127.0.0.1:" + balanced.getPort(), viaLb)) {
                assertThat(RfbClient.viewThroughProxy(socket.in, socket.out).height()).isGreaterThanOrEqualTo(400);
            }
        } finally {
            assertThat(first.post("/servers/" + server + "/destroy", auth, "").status()).isEqualTo(204);
        }
    }

    private static String console(PlainHttp http, String auth, String server) {
        PlainHttp.Reply r = http.post("/servers/" + server + "/console", auth, "");
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        Map<String, String> answer = PlainHttp.parseObject(r.text());
        return answer.get("console");
    }
}
