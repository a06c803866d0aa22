package io.elasticcloud.api.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A request refused before its body has arrived (the client sends its headers, then its body a
 * moment later, as HTTP clients do) is answered with {@code Connection: close} if the connection
 * is closed after it: a client told nothing would send its next request into a closed connection
 * and fail it (Java's client and others do not send a POST again).
 */
class RefusedBodyKeepAliveTest extends ApiTestBase {

    @Test
    void aCustomerRefusedByTheOperatorsEndpointIsToldOrKeepsItsConnection() throws Exception {
        refusedThenPing("/actuator/quotas/" + user, "Basic " + Base64.getEncoder().encodeToString(
                (user + ":wrong").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRequestWithoutCredentialsIsToldOrKeepsItsConnection() throws Exception {
        refusedThenPing("/drives/create", null);
    }

    private void refusedThenPing(String path, String authorization) throws IOException {
        byte[] body = "{\"ips\": 100}".getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String refused = answer(in);
            assertThat(refused).startsWith("HTTP/1.1 401");
            out.write(body);
            out.write("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (!refused.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n")) {
                assertThat(answer(in)).as("the next request on a connection not said to close, after: " + refused)
                        .startsWith("HTTP/1.1 ");
            }
        }
    }

    /** One answer's head and its Content-Length body, as text; empty when the connection was closed. */
    private static String answer(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                break;
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }
}
