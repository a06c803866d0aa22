package io.elasticcloud.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Raw HTTP calls to the system (java.net.http, HTTP/1.1, loopback only): for what a client
 * library hides (status codes, headers, keys it does not parse) and for the admin endpoints.
 */
public final class PlainHttp {

    /** One reply: status, headers and the body as bytes. */
    public record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public Optional<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().get(0))
                    .findFirst();
        }

        /** For assertion messages: status, error type and the first part of the body. */
        public String describe() {
            String t = text();
            return status + " " + header("X-Elastic-Error").orElse("") + " "
                    + (t.length() > 500 ? t.substring(0, 500) + "..." : t);
        }
    }

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final HttpClient client;

    public PlainHttp(URI base) {
        if (!base.getHost().equals("127.0.0.1") && !base.getHost().equals("localhost")) {
            throw new IllegalArgumentException("tests talk to loopback only, not " + base);
        }
        this.base = base;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String basic(Customer c) {
        return basic(c.uuid(), c.key());
    }

    public Reply get(String path, String authorization, String... headers) {
        return send("GET", path, authorization, null, headers);
    }

    /** POST with a body ({@code null}: an empty body, Content-Length 0). */
    /** Writes {@code bytes} to the start of {@code drive} in 4 MiB chunks, as the tools do; each must answer 204. */
    public void writeDrive(String drive, String authorization, byte[] bytes) {
        int chunk = 4 * 1024 * 1024;
        for (int at = 0; at < bytes.length; at += chunk) {
            Reply written = post("/drives/" + drive + "/write/" + at, authorization,
                    java.util.Arrays.copyOfRange(bytes, at, Math.min(bytes.length, at + chunk)),
                    "Content-Type", "application/octet-stream");
            if (written.status() != 204) {
                throw new AssertionError("writing drive " + drive + " at " + at + ": " + written.describe());
            }
        }
    }

    public Reply post(String path, String authorization, byte[] body, String... headers) {
        return send("POST", path, authorization, body, headers);
    }

    public Reply post(String path, String authorization, String textBody, String... headers) {
        return send("POST", path, authorization, textBody.getBytes(StandardCharsets.UTF_8), headers);
    }

    /**
     * @param headers name, value, name, value...
     */
    public Reply send(String method, String path, String authorization, byte[] body, String... headers) {
        Reply reply = exchange(method, path, authorization, body, headers);
        FailureBodies.check(reply.status(), reply.text(), method + " " + path);
        return reply;
    }

    /**
     * {@code GET /actuator/health} with the admin's details: JSON, {@code 503} while a part is
     * {@code DOWN}, and its details (the disk's path among them) are the admin's to read, so this
     * one reply is not held to {@link FailureBodies}.
     */
    public Reply health(String adminAuthorization) {
        return exchange("GET", "/actuator/health", adminAuthorization, null);
    }

    private Reply exchange(String method, String path, String authorization, byte[] body, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name/value pairs");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(CALL_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + base.resolve(path) + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during " + method + " " + path, e);
        }
    }

    /**
     * Parses the text/plain "several objects" shape: blocks of {@code key value} lines (split at
     * the first space) separated by one blank line.
     */
    public static List<Map<String, String>> parseBlocks(String text) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        for (String line : text.split("\r?\n", -1)) {
            if (line.isEmpty()) {
                if (!current.isEmpty()) {
                    blocks.add(current);
                    current = new LinkedHashMap<>();
                }
                continue;
            }
            int space = line.indexOf(' ');
            if (space < 0) {
                current.put(line, "");
            } else {
                current.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        if (!current.isEmpty()) {
            blocks.add(current);
        }
        return blocks;
    }

    /** Parses one object in text/plain. */
    public static Map<String, String> parseObject(String text) {
        List<Map<String, String>> blocks = parseBlocks(text);
        if (blocks.size() != 1) {
            throw new AssertionError("expected one object, got " + blocks.size() + ": " + text);
        }
        return blocks.get(0);
    }
}
