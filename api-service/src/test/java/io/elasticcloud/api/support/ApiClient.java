package io.elasticcloud.api.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A plain HTTP client for the API's tests: exact requests, raw replies. */
public final class ApiClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String base;
    private final String authorization;
    private final Duration timeout;

    public ApiClient(String base, String user, String secret) {
        this(base, user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8)),
                TIMEOUT);
    }

    private ApiClient(String base, String authorization, Duration timeout) {
        this.base = base;
        this.authorization = authorization;
        this.timeout = timeout;
    }

    public ApiClient as(String user, String secret) {
        return new ApiClient(base, user, secret);
    }

    /** The same client waiting up to {@code timeout} for each reply (for load tests on a busy machine). */
    public ApiClient withTimeout(Duration timeout) {
        return new ApiClient(base, authorization, timeout);
    }

    /** The {@code Authorization} header this client sends (null: none), for a test's raw requests. */
    public String authorization() {
        return authorization;
    }

    public HttpResponse<byte[]> get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    public HttpResponse<byte[]> post(String path, String body, String... headers) {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    public HttpResponse<byte[]> post(String path, byte[] body, String... headers) {
        return send(request(path, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
