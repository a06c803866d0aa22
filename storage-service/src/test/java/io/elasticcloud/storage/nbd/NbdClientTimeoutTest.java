package io.elasticcloud.storage.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The handshake against peers that are not NBD servers: a clear error, within the read timeout. */
class NbdClientTimeoutTest {

    @Test
    void aPeerThatAcceptsAndSaysNothingTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NbdTarget target = new NbdTarget("127.0.0.1", silent.getLocalPort(), "vol");
            long started = System.nanoTime();
            assertThatThrownBy(() -> new NbdClient(target, Duration.ofSeconds(1), Duration.ofMillis(300)))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot open NBD export " + target + ": no answer within the timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aPeerThatIsNoNbdServerIsNamed() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket s = http.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // the client hung up: the test's assertion tells
                }
            });
            answer.setDaemon(true);
            answer.start();
            NbdTarget target = new NbdTarget("127.0.0.1", http.getLocalPort(), "vol");
            assertThatThrownBy(() -> new NbdClient(target, Duration.ofSeconds(1), Duration.ofSeconds(2)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("cannot open NBD export " + target + ": not an NBD server: its greeting does not start with NBDMAGIC");
            answer.join(2000);
        }
    }

    @Test
    void nothingListeningIsRefusedAtOnce() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        NbdTarget target = new NbdTarget("127.0.0.1", port, "vol");
        assertThatThrownBy(() -> new NbdClient(target, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageStartingWith("cannot open NBD export " + target + ": ");
    }
}
