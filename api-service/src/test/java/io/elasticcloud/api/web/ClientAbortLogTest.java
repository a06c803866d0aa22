package io.elasticcloud.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.ApiTestBase;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A client that goes away in the middle of a large answer (its connection reset while the answer
 * is written) is not a failure of ours: each such call logs one line, with no stack trace, and
 * nothing at ERROR. At scale a slow listing whose clients time out did log a stack trace each.
 */
class ClientAbortLogTest extends ApiTestBase {
    private static final int ABORTS = 4;
    private static final int SIZE = 4 * 1024 * 1024;

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger handler = (Logger) LoggerFactory.getLogger(ApiExceptionHandler.class);
    private Level handlerLevel;

    @BeforeEach
    void captureLogs() {
        handlerLevel = handler.getLevel();
        handler.setLevel(Level.DEBUG);
        logged.start();
        root.addAppender(logged);
    }

    @AfterEach
    void releaseLogs() {
        root.detachAppender(logged);
        handler.setLevel(handlerLevel);
    }

    @Test
    void aReadAbortedMidAnswerLogsOneLineWithoutATrace() throws Exception {
        HttpResponse<byte[]> created = api.post("/drives/create", "name big\nsize " + SIZE + "\n");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        String drive = properties(created).get("drive");

        for (int i = 0; i < ABORTS; i++) {
            abortAfterHeaders("/drives/" + drive + "/read/0/" + SIZE);
        }

        long until = System.nanoTime() + 15_000_000_000L;
        while (aborts().size() < ABORTS && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(aborts()).as("one line per aborted answer").hasSize(ABORTS)
                .allSatisfy(e -> assertThat(e.getThrowableProxy()).as(e.getFormattedMessage()).isNull())
                .allSatisfy(e -> assertThat(e.getLevel().isGreaterOrEqual(Level.ERROR)).isFalse());
        Thread.sleep(500); // whatever else the container logs of these connections, after the call
        assertThat(snapshot()).as("nothing at ERROR, no stack trace, for a client that went away")
                .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null);
    }

    @Test
    void aListingAbortedMidAnswerLogsOneLineWithoutATrace() throws Exception {
        String keys = "";
        for (int i = 0; i < 64; i++) {
            keys += "user:k" + i + " " + "v".repeat(1000) + "\n";
        }
        // about 4 MB of /drives/info (64 small drives, the account's limit; the test nodes are
        // shared), as the read's answer: more than the server's socket can buffer (tcp_wmem's
        // largest, 4 MB, counts its buffers' overhead too); a smaller answer could be all written
        // before the client's reset arrives
        for (int i = 0; i < 64; i++) {
            HttpResponse<byte[]> created = api.post("/drives/create", "name d" + i + "\nsize 64k\n" + keys);
            assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        }

        for (int i = 0; i < ABORTS; i++) {
            abortAfterHeaders("/drives/info");
        }

        long until = System.nanoTime() + 15_000_000_000L;
        while (aborts().size() < ABORTS && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(aborts()).as("one line per aborted listing").hasSize(ABORTS)
                .allSatisfy(e -> assertThat(e.getThrowableProxy()).as(e.getFormattedMessage()).isNull());
        Thread.sleep(500);
        assertThat(snapshot()).as("nothing at ERROR, no stack trace, for a client that went away")
                .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null);
    }

    private List<ILoggingEvent> aborts() {
        return snapshot().stream().filter(e -> e.getFormattedMessage().startsWith("client went away")).toList();
    }

    private List<ILoggingEvent> snapshot() {
        synchronized (logged) {
            return new ArrayList<>(logged.list);
        }
    }

    /** Asks for {@code path}, reads the first bytes of the answer and resets the connection. */
    private void abortAfterHeaders(String path) throws Exception {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + api.authorization()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] first = in.readNBytes(16);
            assertThat(new String(first, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
            socket.setSoLinger(true, 0); // close with a reset, as a client that gave up
        }
    }
}
