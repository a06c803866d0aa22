package io.elasticcloud.cli.api;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.ExitCode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The API over HTTP (java.net.http, HTTP/1.1, connections kept alive and shared by the threads of
 * a transfer). Every non-2xx reply becomes a {@link CliException} carrying the API's error type
 * and its one-line description; a failure to connect becomes {@link ExitCode#CONNECTION}.
 */
public final class ApiClient {
    static {
        // the client's socket reads land in buffers of this size (the JDK's default is 16 KiB): drive
        // chunks are 4 MiB, and fewer, larger buffers cost less per byte
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", Integer.toString(256 * 1024));
        }
    }

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
        HttpResponse<byte[]> r = send(request(method, path, body, accept), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() / 100 == 2) {
            return new Reply(r.statusCode(), r.headers().map(), r.body());
        }
        throw ApiErrors.fromReply(r.statusCode(), r.headers().firstValue("X-Elastic-Error").orElse(null),
                r.body(), method + " " + path);
    }

    /**
     * {@code GET} a path whose 2xx reply is raw bytes, received straight into {@code into} (one copy
     * from the client's socket buffers, no array allocated per reply): the number of bytes the reply
     * held, or -1 if it held more than {@code into} can take.
     */
    public int readInto(String path, byte[] into) {
        HttpResponse<Object> r = send(request("GET", path, null, "application/octet-stream"),
                info -> info.statusCode() / 100 == 2
                        ? new IntoArray(into)
                        : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), b -> b));
        if (r.statusCode() / 100 == 2) {
            return (Integer) r.body();
        }
        throw ApiErrors.fromReply(r.statusCode(), r.headers().firstValue("X-Elastic-Error").orElse(null),
                (byte[]) r.body(), "GET " + path);
    }

    private HttpRequest request(String method, String path, Body body, String accept) {
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
        return b.build();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
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
    }

    /** A reply's body copied into a given array as it arrives; its length, or -1 past the array's end. */
    private static final class IntoArray implements HttpResponse.BodySubscriber<Object> {
        private final byte[] into;
        private final CompletableFuture<Object> done = new CompletableFuture<>();
        private int length;
        private boolean overflow;

        IntoArray(byte[] into) {
            this.into = into;
        }

        @Override
        public CompletionStage<Object> getBody() {
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                int n = b.remaining();
                if (overflow || n > into.length - length) {
                    overflow = true;
                    b.position(b.limit());
                } else {
                    b.get(into, length, n);
                    length += n;
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            done.complete(overflow ? -1 : length);
        }
    }
}
