package io.elasticcloud.cli.api;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.ExitCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The API over HTTP (java.net.http, HTTP/1.1, connections kept alive and shared by the threads of
 * a transfer). Every non-2xx reply becomes a {@link CliException} carrying the API's error type
 * and its one-line description; a failure to connect becomes {@link ExitCode#CONNECTION}.
 */
public final class ApiClient {
    private final Endpoint endpoint;
    private final HttpClient http;
    private final Duration requestTimeout;

    public ApiClient(Endpoint endpoint, Duration requestTimeout) {
        this.endpoint = endpoint;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** One reply with a 2xx status. */
    public record Reply(int status, Map<String, java.util.List<String>> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** {@code GET} or {@code POST} an API path; {@code accept} is the media type asked for. */
    public Reply call(String method, String path, Body body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(requestTimeout)
                .header("Authorization", endpoint.authorization())
                .header("Accept", accept);
        if (body == null || body == Body.EMPTY && method.equals("GET")) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            if (body.contentType() != null) {
                b.header("Content-Type", body.contentType());
            }
            if (body.contentEncoding() != null) {
                b.header("Content-Encoding", body.contentEncoding());
            }
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new CliException(ExitCode.CONNECTION, "connection",
                    "no answer from " + endpoint.base() + " within " + requestTimeout.toSeconds() + " s", e);
        } catch (ConnectException e) {
            throw new CliException(ExitCode.CONNECTION, "connection", "cannot connect to " + endpoint.base()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        } catch (IOException e) {
            throw new CliException(ExitCode.CONNECTION, "connection", "lost the connection to " + endpoint.base()
                    + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.LOCAL, "interrupted", "interrupted", e);
        }
        if (r.statusCode() / 100 == 2) {
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        }
        throw ApiErrors.fromReply(r.statusCode(), r.headers().firstValue("X-Elastic-Error").orElse(null),
                r.body(), method + " " + path);
    }
}
