package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
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
 * VNC authentication.
 */
class VncTlsTest {
    private static final String ISO = "5d1c2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
    private static final Path WORK = Path.of("target", "vnc-tls").toAbsolutePath();
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
        otherCa = RfbClient.certificate(otherPki.resolve("ca-cert.pem"));
        system = RunningSystem.start("vnc-tls", "--elastic.agent.vnc-tls-dir=" + pki,
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
