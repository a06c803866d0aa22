package io.elasticcloud.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.server.ServerTestBase;
import io.elasticcloud.api.support.ApiClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The browser console through the API: tokens (issued to the owner of an active server with VNC,
 * spent once, expiring, refused from another page's origin) and the WebSocket proxy, which
 * authenticates to the guest's VNC with the server's password and offers the viewer security None.
 * The guest's VNC is {@link FakeVncServer}: the dialer connects there, and records the address and
 * port the API asked for, which must be the pool's mapping of the server's console address and the
 * port its (fake) host reports.
 */
@Import(ConsoleContract.FakeGuestConsole.class)
@TestPropertySource(properties = {"elastic.console.watch-interval=200ms", "elastic.console.per-customer=2",
        "elastic.console.handshake-timeout=2s"})
public abstract class ConsoleContract extends ServerTestBase {
    @Autowired
    FakeVncServer vnc;
    @Autowired
    DataSource dataSource;

    @TestConfiguration
    static class FakeGuestConsole {
        @Bean(destroyMethod = "close")
        FakeVncServer fakeVncServer() throws java.io.IOException {
            return new FakeVncServer();
        }

        @Bean
        @Primary
        VncDialer fakeGuestDialer(FakeVncServer server) {
            return (address, port, timeout) -> {
                server.dialed.add(address + ":" + port);
                return VncDialer.tcp("127.0.0.1", server.port(), timeout);
            };
        }
    }

    private String origin() {
        return "http://127.0.0.1:" + port;
    }

    private Map<String, String> consoleServer(String name) {
        return create("/servers/create", "name " + name + "\ncpu 500\nmem 128\nvnc:password s3cr3t\n");
    }

    private Map<String, String> token(ApiClient client, String server) {
        HttpResponse<byte[]> issued = client.post("/servers/" + server + "/console", "");
        assertThat(issued.statusCode()).as(ApiClient.text(issued)).isEqualTo(200);
        return properties(issued);
    }

    private static int refusal(ThrowingViewer viewer) {
        Throwable thrown = catchThrowable(viewer);
        assertThat(thrown).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(WebSocketHandshakeException.class);
        return ((WebSocketHandshakeException) thrown.getCause()).getResponse().statusCode();
    }

    private static Throwable catchThrowable(ThrowingViewer viewer) {
        try {
            viewer.open().close();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    interface ThrowingViewer {
        WebSocketViewer open() throws Exception;
    }

    @Test
    void aTokenOpensTheGuestsConsoleWithSecurityNoneAndTheProxyAnswersTheVncPassword() throws Exception {
        Map<String, String> server = consoleServer("console");
        Map<String, String> info = info(server.get("server"));
        Map<String, String> token = token(api, server.get("server"));
        assertThat(token.get("console")).matches("[A-Za-z0-9_-]{43}");
        assertThat(token.get("url")).isEqualTo("/console/console.html#token=" + token.get("console"));
        long expires = Long.parseLong(token.get("expires"));
        assertThat(expires - System.currentTimeMillis() / 1000).isBetween(50L, 61L);

        try (WebSocketViewer viewer = WebSocketViewer.connect(port, origin(), token.get("console"))) {
            assertThat(viewer.subprotocol()).isEqualTo("binary");
            assertThat(viewer.handshake(0)).as("security types offered to the viewer").containsExactly(1);
            assertThat(viewer.serverInit()).isEqualTo(FakeVncServer.WIDTH + "x" + FakeVncServer.HEIGHT + " "
                    + FakeVncServer.NAME);
            assertThat(viewer.frame(FakeVncServer.WIDTH, FakeVncServer.HEIGHT)).isEqualTo(FakeVncServer.PIXELS);
        }
        // the pool maps 169.254.20.N onto 127.20.0.N; the fake host reports port 5900
        assertThat(vnc.dialed).last().isEqualTo(info.get("vnc:ip").replace("169.254.20.", "127.20.0.") + ":5900");
        assertThat(vnc.seen()).last().isEqualTo(new FakeVncServer.Seen(true, 1));
        // the page and its modules need no credentials (the token is the page's only key)
        HttpResponse<byte[]> page = anonymous.get(token.get("url").replace("#token=" + token.get("console"), ""));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(ApiClient.text(page)).contains("console.js");
        HttpResponse<byte[]> rfb = anonymous.get("/console/novnc/core/rfb.js");
        assertThat(rfb.statusCode()).isEqualTo(200);
        assertThat(rfb.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
    }

    @Test
    void aTokenWorksOnceAndSeveralViewersWatchAtOnce() throws Exception {
        String server = consoleServer("twice").get("server");
        String first = token(api, server).get("console");
        try (WebSocketViewer one = WebSocketViewer.connect(port, origin(), first);
             WebSocketViewer two = WebSocketViewer.connect(port, origin(), token(api, server).get("console"))) {
            for (WebSocketViewer viewer : List.of(one, two)) {
                viewer.handshake(1);
                viewer.serverInit();
            }
            assertThat(two.frame(FakeVncServer.WIDTH, FakeVncServer.HEIGHT)).isEqualTo(FakeVncServer.PIXELS);
            assertThat(one.frame(FakeVncServer.WIDTH, FakeVncServer.HEIGHT)).isEqualTo(FakeVncServer.PIXELS);
            assertThat(refusal(() -> WebSocketViewer.connect(port, origin(), first))).as("spent").isEqualTo(401);
            String third = token(api, server).get("console");
            assertThat(refusal(() -> WebSocketViewer.connect(port, origin(), third)))
                    .as("a third console beyond elastic.console.per-customer=2").isEqualTo(409);
        }
    }

    @Test
    void anExpiredTokenAnUnknownOneAndAnotherPagesOriginAreRefused() throws Exception {
        String server = consoleServer("refusals").get("server");
        String token = token(api, server).get("console");
        assertThat(refusal(() -> WebSocketViewer.connect(port, "http://evil.example", token))).isEqualTo(401);
        assertThat(refusal(() -> WebSocketViewer.connect(port, null, token))).as("no Origin").isEqualTo(401);
        assertThat(refusal(() -> WebSocketViewer.connect(port, origin(), "A".repeat(43)))).isEqualTo(401);
        // refused by origin before it was spent: still good from the API's own page
        WebSocketViewer.connect(port, origin(), token).close();

        String expiring = token(api, server).get("console");
        new JdbcTemplate(dataSource).update("UPDATE console_token SET expires_at = expires_at - INTERVAL '61' SECOND"
                + " WHERE token_hash = ?", ConsoleTokens.hash(expiring));
        assertThat(refusal(() -> WebSocketViewer.connect(port, origin(), expiring))).isEqualTo(401);
        assertThat(vnc.seen().stream().filter(s -> !s.passwordAccepted())).isEmpty();
    }

    @Test
    void onlyTheOwnerOfAnActiveServerWithVncGetsAToken() {
        String server = consoleServer("mine").get("server");
        assertError(other.post("/servers/" + server + "/console", ""), 404, "missing");
        assertError(api.post("/servers/6acf8a17-0000-4000-8000-000000000000/console", ""), 404, "missing");
        assertError(api.post("/servers/not-a-uuid/console", ""), 404, "missing");
        assertError(api.get("/servers/" + server + "/console"), 405, "method");
        String noVnc = create("/servers/create", "name novnc\ncpu 500\nmem 128\n").get("server");
        assertError(api.post("/servers/" + noVnc + "/console", ""), 400, "usage");
        String stopped = create("/servers/create/stopped", "name off\ncpu 500\nmem 128\nvnc:password s3cr3t\n")
                .get("server");
        assertError(api.post("/servers/" + stopped + "/console", ""), 409, "busy");
        assertError(anonymous.post("/servers/" + server + "/console", ""), 401, "auth");
    }

    @Test
    void stoppingTheServerClosesItsConsole() throws Exception {
        String server = consoleServer("stops").get("server");
        try (WebSocketViewer viewer = WebSocketViewer.connect(port, origin(), token(api, server).get("console"))) {
            viewer.handshake(1);
            viewer.serverInit();
            assertThat(api.post("/servers/" + server + "/stop", "").statusCode()).isEqualTo(204);
            assertThat(viewer.closed.get(10, TimeUnit.SECONDS)).startsWith("1001 the server stopped");
        }
        eventually("the proxy let go of the guest's VNC", () -> vnc.connected() == 0);
    }

    @Test
    void aWrongVncPasswordOnTheGuestFailsTheConsoleBeforeTheUpgrade() throws Exception {
        String server = consoleServer("changed").get("server");
        String token = token(api, server).get("console");
        vnc.password("other");
        try {
            assertThat(refusal(() -> WebSocketViewer.connect(port, origin(), token))).isEqualTo(500);
        } finally {
            vnc.password("s3cr3t");
        }
        try (WebSocketViewer again = WebSocketViewer.connect(port, origin(), token(api, server).get("console"))) {
            assertThat(again.handshake(1)).containsExactly(1);
        }
    }

    @Test
    void aViewerThatDoesNotFinishItsHandshakeOrSendsTooMuchOrTextIsClosed() throws Exception {
        String server = consoleServer("hostile").get("server");
        try (WebSocketViewer silent = WebSocketViewer.connect(port, origin(), token(api, server).get("console"))) {
            silent.in.readFully(new byte[12]); // the proxy's RFB version; the viewer answers nothing
            assertThat(silent.closed.get(10, TimeUnit.SECONDS)).startsWith("1001 the viewer's RFB handshake took longer");
        }
        try (WebSocketViewer flooding = WebSocketViewer.connect(port, origin(), token(api, server).get("console"))) {
            flooding.handshake(1);
            flooding.serverInit();
            flooding.send(new byte[65537]);
            assertThat(flooding.closed.get(10, TimeUnit.SECONDS)).startsWith("1009");
        }
        try (WebSocketViewer texting = WebSocketViewer.connect(port, origin(), token(api, server).get("console"))) {
            texting.handshake(1);
            texting.sendText("hello");
            assertThat(texting.closed.get(10, TimeUnit.SECONDS)).startsWith("1003");
        }
        eventually("the proxy let go of the guest's VNC", () -> vnc.connected() == 0);
    }
}
