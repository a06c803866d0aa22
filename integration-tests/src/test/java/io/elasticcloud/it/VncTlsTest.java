package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code vnc:tls on} on real guests: the host's VNC TLS files are made by the operator's script
 * ({@code deploy/vnc-tls-certs.sh}) and given to the agent ({@code elastic.agent.vnc-tls-dir}).
 * The guest's VNC server then offers only VeNCrypt, with X509VNC among its subtypes; an RFB client
 * that trusts the CA completes the TLS handshake (the certificate verified for the address the
 * console listens at) and is
 * refused with a wrong password and accepted with the right one inside TLS; a client trusting
 * another CA fails the handshake. A {@code vnc:tls off} guest on the same host still offers plain
 * VNC authentication. The browser console (its WebSocket proxy) reaches both guests, the TLS one
 * over VeNCrypt X509VNC verified against the same CA ({@code elastic.console.vnc-tls-ca}), and shows
 * a viewer their screens with security None.
 */
class VncTlsTest {
    private static final String ISO = "5d1c2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    private static final Path WORK = Path.of("target", "vnc-tls").toAbsolutePath();
    /** The CA the API's consoles trust (read as each TLS console opens): the hosts', or another's to attack. */
    private static final Path CONSOLE_CA = WORK.resolve("console-ca.pem");
    private static RunningSystem system;
    private static PlainHttp http;
    private static String auth;
    private static X509Certificate ca;
    private static X509Certificate otherCa;

    @BeforeAll
    static void startSystem() throws Exception {
        Libvirt.start();
        Path iso = Libvirt.testGuest(WORK);
        Path pki = WORK.resolve("pki");
        Path otherPki = WORK.resolve("other-pki");
        // new certificates each run (the script keeps what exists); the host's names the addresses
        // its consoles listen at (pool .2-.9 mapped onto 127.10.0.N)
        Libvirt.run(Duration.ofSeconds(30), "rm", "-rf", pki.toString(), otherPki.toString());
        List<String> script = new ArrayList<>(List.of(
                Libvirt.repository().resolve("deploy/vnc-tls-certs.sh").toString(), pki.toString()));
        for (int n = 2; n <= 9; n++) {
            script.add(Libvirt.CONSOLE_BASE + n);
        }
        Libvirt.run(Duration.ofMinutes(1), script.toArray(String[]::new));
        Libvirt.run(Duration.ofMinutes(1), Libvirt.repository().resolve("deploy/vnc-tls-certs.sh").toString(),
                otherPki.toString());
        ca = RfbClient.certificate(pki.resolve("ca-cert.pem"));
        Files.copy(pki.resolve("ca-cert.pem"), CONSOLE_CA, StandardCopyOption.REPLACE_EXISTING);
        otherCa = RfbClient.certificate(otherPki.resolve("ca-cert.pem"));
        system = RunningSystem.start("vnc-tls", "--elastic.agent.vnc-tls-dir=" + pki,
                "--elastic.console.vnc-tls-ca=" + CONSOLE_CA,
                "--elastic.network.pools[0].name=public", "--elastic.network.pools[0].cidr=169.254.10.0/24",
                "--elastic.network.pools[0].first=169.254.10.2", "--elastic.network.pools[0].last=169.254.10.9",
                "--elastic.network.pools[0].vnc-listen-base=" + Libvirt.CONSOLE_BASE + "0");
        Libvirt.assertReachableByGuests(system);
        system.importStandardDrive(ISO, "test guest cdrom", iso, "cdrom");
        http = system.http();
        auth = PlainHttp.basic(system.createCustomer());
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    private static Map<String, String> create(String name, String vnc) {
        PlainHttp.Reply r = http.post("/servers/create", auth, "name " + name + "\ncpu 200\nmem 128\nide:0:0 " + ISO
                + "\nide:0:0:media cdrom\nboot ide:0:0\nvnc:password s3cr3t\n" + vnc);
        assertThat(r.status()).as(r.describe() + "\n" + system.logTail(30)).isEqualTo(200);
        return PlainHttp.parseObject(r.text());
    }

    /**
     * Through the console proxy: each guest's screen, read whole by a viewer offered security None
     * only (the TLS guest's VNC offers nothing but VeNCrypt, so reaching it at all is over TLS), until
     * the guest has drawn on it (a token per look, at most 60 s); trusting another CA, the API
     * refuses the TLS guest's host. A token is spent once, another
     * customer gets none, another page's origin is refused, and stopping a server ends its console.
     */
    @Test
    void theBrowserConsoleShowsBothGuestsScreensTheTlsOneReachedOverTls() throws Exception {
        Map<String, String> tls = create("console tls", "vnc:tls on\n");
        Map<String, String> plain = create("console plain", "");
        String origin = "http://127.0.0.1:" + system.baseUri().getPort();
        try {
            for (Map<String, String> server : List.of(tls, plain)) {
                RfbClient.Screen screen = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (screen == null || screen.drawn() == 0 && System.nanoTime() < deadline) {
                    try (ConsoleSocket socket = new ConsoleSocket(system.baseUri(), origin, console(server))) {
                        screen = RfbClient.viewThroughProxy(socket.in, socket.out);
                    }
                    Thread.sleep(screen.drawn() == 0 ? 2_000 : 0);
                }
                assertThat(screen.securityTypes()).as("offered to the viewer").containsExactly((byte) 1);
                assertThat(screen.width()).isGreaterThanOrEqualTo(640);
                assertThat(screen.height()).isGreaterThanOrEqualTo(400);
                assertThat(screen.drawn()).as("pixels the guest drew on " + server.get("name")).isPositive();
            }

            // an API trusting another CA does not believe the TLS guest's host: no console
            Files.copy(WORK.resolve("other-pki/ca-cert.pem"), CONSOLE_CA, StandardCopyOption.REPLACE_EXISTING);
            try {
                assertThat(refused(origin, console(tls))).as("a host certificate another CA signed").isEqualTo(500);
            } finally {
                Files.copy(WORK.resolve("pki/ca-cert.pem"), CONSOLE_CA, StandardCopyOption.REPLACE_EXISTING);
            }
            assertThat(system.logTail(200)).contains("PKIX path");

            String token = console(plain);
            new ConsoleSocket(system.baseUri(), origin, token).close();
            assertThat(refused(origin, token)).as("a spent token").isEqualTo(401);
            assertThat(refused("http://evil.example", console(plain))).as("another page's origin").isEqualTo(401);
            String otherAuth = PlainHttp.basic(system.createCustomer());
            assertThat(http.post("/servers/" + plain.get("server") + "/console", otherAuth, "").status())
                    .as("another customer's server").isEqualTo(404);

            try (ConsoleSocket open = new ConsoleSocket(system.baseUri(), origin, console(plain))) {
                RfbClient.viewThroughProxy(open.in, open.out);
                assertThat(http.post("/servers/" + plain.get("server") + "/stop", auth, "").status()).isEqualTo(204);
                // the guest's VNC drops the proxy as the guest ends, or the proxy's watch sees the row
                assertThat(open.closed.get(30, java.util.concurrent.TimeUnit.SECONDS)).startsWith("1001 the ");
            }
        } finally {
            for (Map<String, String> s : List.of(tls, plain)) { // the plain one, stopped, is gone (not persistent)
                assertThat(http.post("/servers/" + s.get("server") + "/destroy", auth, "").status()).isIn(204, 404);
            }
        }
    }

    private static String console(Map<String, String> server) {
        PlainHttp.Reply r = http.post("/servers/" + server.get("server") + "/console", auth, "");
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return PlainHttp.parseObject(r.text()).get("console");
    }

    /** The HTTP status the console's WebSocket was refused with. */
    private static int refused(String origin, String token) {
        try {
            new ConsoleSocket(system.baseUri(), origin, token).close();
            throw new AssertionError("the console opened");
        } catch (java.util.concurrent.ExecutionException e) {
            return ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTlsGuestOffersVencryptX509AndTakesItsPasswordInsideTls() throws Exception {
        Map<String, String> tls = create("with tls", "vnc:tls on\n");
        Map<String, String> plain = create("without tls", "");
        try {
            assertThat(tls).containsEntry("status", "active").containsEntry("vnc:tls", "on");
            String ip = Libvirt.consoleAddress(tls.get("vnc:ip"));
            int port = Integer.parseInt(tls.get("vnc:port"));

            RfbClient.Outcome offered = RfbClient.authenticate(ip, port, "s3cr3t");
            assertThat(offered.offers(RfbClient.VENCRYPT)).as("VeNCrypt offered").isTrue();
            assertThat(offered.offers(RfbClient.VNC_AUTH)).as("no VNC authentication without TLS").isFalse();

            RfbClient.TlsOutcome right = RfbClient.authenticateTls(ip, port, "s3cr3t", ca);
            assertThat(right.subtypes()).contains(RfbClient.X509_VNC);
            assertThat(right.protocol()).startsWith("TLSv1.");
            assertThat(right.accepted()).as("the password, inside TLS").isTrue();
            assertThat(RfbClient.authenticateTls(ip, port, "wrong", ca).accepted()).as("a wrong password").isFalse();
            assertThatThrownBy(() -> RfbClient.authenticateTls(ip, port, "s3cr3t", otherCa))
                    .as("a certificate another CA signed is not trusted").isInstanceOf(SSLHandshakeException.class);

            // the other guest on the same host: plain VNC authentication, as before
            RfbClient.Outcome other = RfbClient.authenticate(Libvirt.consoleAddress(plain.get("vnc:ip")),
                    Integer.parseInt(plain.get("vnc:port")),
                    "s3cr3t");
            assertThat(other.offers(RfbClient.VNC_AUTH)).isTrue();
            assertThat(other.offers(RfbClient.VENCRYPT)).isFalse();
            assertThat(other.accepted()).isTrue();
        } finally {
            for (Map<String, String> s : List.of(tls, plain)) {
                assertThat(http.post("/servers/" + s.get("server") + "/destroy", auth, "").status()).isEqualTo(204);
            }
        }
        assertThat(Libvirt.domains()).doesNotContain(Libvirt.domainOf(tls.get("server")), Libvirt.domainOf(plain.get("server")));
    }
}
