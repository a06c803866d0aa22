package io.elasticcloud.api.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Tomcat on loopback with the connector limited to 2 open connections per source address. */
class AddressLimitedProtocolTest {
    private Tomcat tomcat;
    private int port;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createDirectories(dir.resolve("tomcat")).toString());
        Connector connector = new Connector(AddressLimitedProtocol.class.getName());
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        ((AddressLimitedProtocol) connector.getProtocolHandler()).setMaxConnectionsPerAddress(2);
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        tomcat.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        tomcat.stop();
        tomcat.destroy();
    }

    private Socket open(String from, int readTimeoutMillis) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        s.setSoTimeout(readTimeoutMillis);
        return s;
    }

    /** True when the server closed {@code s} before its read timeout, false when it kept it open. */
    private static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    @Test
    void theConnectionOverTheLimitIsClosedAtOnceAndOnlyForThatAddress() throws Exception {
        Socket first = open("127.0.0.2", 300);
        Socket second = open("127.0.0.2", 300);
        assertThat(closedByServer(first)).isFalse();
        assertThat(closedByServer(second)).isFalse();
        assertThat(closedByServer(open("127.0.0.2", 2_000))).as("third from 127.0.0.2").isTrue();
        assertThat(closedByServer(open("127.0.0.3", 300))).as("first from 127.0.0.3").isFalse();
        assertThat(closedByServer(first)).as("the held ones stay open").isFalse();
    }

    @Test
    void aClosedConnectionNoLongerCounts() throws Exception {
        Socket first = open("127.0.0.4", 300);
        Socket second = open("127.0.0.4", 300);
        assertThat(closedByServer(second)).isFalse();
        first.close();
        second.close();
        boolean reopened = false;
        for (int i = 0; i < 20 && !reopened; i++) { // the server sees the close within a poll or two
            Thread.sleep(100);
            Socket a = open("127.0.0.4", 300);
            Socket b = open("127.0.0.4", 300);
            reopened = !closedByServer(a) && !closedByServer(b);
            a.close();
            b.close();
        }
        assertThat(reopened).as("two connections again after closing both").isTrue();
    }
}
