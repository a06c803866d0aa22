package io.elasticcloud.protocol.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.storage.VolumeRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the caller's side refuses before a byte leaves: a plaintext data URL off loopback (a node
 * misconfigured, or a forged heartbeat, cannot draw the secret or a drive's bytes into the clear),
 * and an {@code https://} URL without TLS settings; the secrets a node accepts.
 */
class HttpVolumeDataPathTest {
    static final VolumeRef VOLUME = new VolumeRef("pool-x", "v");

    @Test
    void aPlaintextUrlOffLoopbackIsRefusedWithoutConnecting() {
        // link-local: nothing listens there; the refusal must come before any connection attempt
        for (String url : List.of("http://169.254.0.1:8091", "http://[fe80::1]:8091", "ftp://127.0.0.1:21")) {
            HttpVolumeDataPath path = new HttpVolumeDataPath(n -> URI.create(url), "s", null,
                    Duration.ofSeconds(30), Duration.ofSeconds(30));
            long start = System.nanoTime();
            assertSystem(() -> path.read(VOLUME, 0, 10, new ByteArrayOutputStream()), "plaintext data path off loopback");
            assertSystem(() -> path.write(VOLUME, 0, 3, new ByteArrayInputStream(new byte[3])), "plaintext data path off loopback");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(url).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void anHttpsUrlWithoutTlsSettingsIsRefusedWithoutConnecting() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HttpVolumeDataPath path = new HttpVolumeDataPath(n -> URI.create("https://127.0.0.1:" + listener.getLocalPort()),
                    "s", null, Duration.ofSeconds(5), Duration.ofSeconds(5));
            assertSystem(() -> path.read(VOLUME, 0, 10, new ByteArrayOutputStream()), "no elastic.data-path.tls");
            listener.setSoTimeout(200);
            assertThatThrownBy(() -> {
                try (Socket ignored = listener.accept()) {
                    // nothing should have come
                }
            }).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void plaintextOnLoopbackIsCalled() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HttpVolumeDataPath path = new HttpVolumeDataPath(n -> URI.create("http://localhost:" + listener.getLocalPort()),
                    "s", null, Duration.ofSeconds(5), Duration.ofSeconds(5));
            Thread answer = new Thread(() -> {
                try (Socket s = listener.accept(); InputStream in = s.getInputStream()) {
                    byte[] request = new byte[4096];
                    int n = in.read(request);
                    String head = new String(request, 0, Math.max(n, 0), StandardCharsets.US_ASCII);
                    String reply = head.contains("Authorization: Bearer s") ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                            : "HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n";
                    s.getOutputStream().write(reply.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the test fails on the caller's side
                }
            });
            answer.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(path.read(VOLUME, 0, 10, out)).isEqualTo(2);
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("ok");
            answer.join(5000);
        }
    }

    @Test
    void aNodeTakesTheCurrentSecretAndThePreviousOnesOnly() {
        List<String> accepted = new DataPathConfiguration.DataPathProperties(" new ", List.of("old", " "),
                Duration.ofSeconds(5), Duration.ofSeconds(60), new DataPathConfiguration.Tls(null, null, null)).secrets();
        assertThat(accepted).containsExactly("new", "old");
        assertThat(DataPathHttp.authorized("Bearer new", accepted)).isTrue();
        assertThat(DataPathHttp.authorized("bearer old", accepted)).isTrue();
        assertThat(DataPathHttp.authorized("Bearer older", accepted)).isFalse();
        assertThat(DataPathHttp.authorized("Bearer ", accepted)).isFalse();
        assertThat(DataPathHttp.authorized("Basic new", accepted)).isFalse();
        assertThat(DataPathHttp.authorized(null, accepted)).isFalse();
        assertThat(DataPathHttp.authorized("Bearer new", List.of())).isFalse();
    }

    interface Call {
        void run() throws Exception;
    }

    static void assertSystem(Call call, String message) {
        assertThatThrownBy(call::run).isInstanceOf(ElasticException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((ElasticException) e).type()).isEqualTo(ErrorType.SYSTEM));
    }
}
