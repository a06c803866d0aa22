package io.elasticcloud.storage.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.datapath.DataPathHttp;
import io.elasticcloud.protocol.datapath.DataPathTls;
import io.elasticcloud.protocol.storage.VolumeRef;
import io.elasticcloud.storage.volume.VolumeNames;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage service's end of the internal HTTP data path ({@link DataPathHttp}): the bytes of
 * this process's volumes for the API service and other storage processes, on a port of its own
 * (never the public API's), for callers presenting the shared secret only. Each request goes
 * straight to the local data path, which holds one buffer per call whatever the length.
 *
 * <p>With {@link DataPathTls} it serves HTTPS, TLS 1.3 only, to callers showing a certificate of
 * the internal CA, and the secret is a second factor; without, plaintext HTTP, which {@code
 * StorageConfiguration} allows on a loopback address only.
 */
public final class DataPathServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DataPathServer.class);

    private final HttpServer server;
    private final ExecutorService threads;
    private final LocalVolumeDataPath local;
    private final List<String> secrets;
    private final boolean tls;

    /**
     * Listens on {@code address} (null: every interface) and serves at once.
     *
     * @param secrets the secrets a caller may present: the current one first, then those still
     *                accepted during a rotation
     * @param tls     null: plaintext HTTP
     */
    public DataPathServer(String address, int port, int threads, List<String> secrets, DataPathTls tls,
                          LocalVolumeDataPath local) throws IOException {
        if (secrets.isEmpty() || secrets.stream().anyMatch(s -> s == null || s.isBlank())) {
            throw new IllegalArgumentException("the data path needs a secret (elastic.data-path.secret)");
        }
        this.secrets = List.copyOf(secrets);
        this.tls = tls != null;
        this.local = local;
        InetSocketAddress at = address == null || address.isBlank() ? new InetSocketAddress(port)
                : new InetSocketAddress(address, port);
        if (tls == null) {
            this.server = HttpServer.create(at, 64);
        } else {
            HttpsServer https = HttpsServer.create(at, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.context()) {
                @Override
                public void configure(HttpsParameters params) {
                    params.setSSLParameters(tls.serverParameters());
                }
            });
            this.server = https;
        }
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "data-path-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(this.threads);
        server.createContext("/", this::handle);
        server.start();
        log.info("data path serving on {} ({})", server.getAddress(), tls == null ? "plaintext" : "TLS 1.3, client certificates");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Whether it serves HTTPS ({@code https://} data URLs). */
    public boolean tls() {
        return tls;
    }

    private void handle(HttpExchange exchange) throws IOException {
        Reply body = new Reply(exchange);
        try {
            serve(exchange, body);
        } catch (ElasticException e) {
            fail(exchange, body, e.type(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            log.error("data path: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            fail(exchange, body, ErrorType.SYSTEM, "storage I/O failed on the data path");
        }
        // not in a finally: after a failure mid-reply, closing would end the body as if complete;
        // the server drops the connection instead, and the caller sees the read broken off
        exchange.close();
    }

    private void serve(HttpExchange exchange, Reply body) throws IOException {
        if (!DataPathHttp.authorized(exchange.getRequestHeaders().getFirst("Authorization"), secrets)) {
            throw new ElasticException(ErrorType.AUTH, "the data path needs the shared secret");
        }
        String path = exchange.getRequestURI().getRawPath();
        String[] parts = path.startsWith(DataPathHttp.VOLUMES) ? path.substring(DataPathHttp.VOLUMES.length()).split("/", -1)
                : new String[0];
        if (parts.length != 2) {
            throw ElasticException.missing("no such data path resource: %s", path);
        }
        VolumeRef volume = new VolumeRef(decode(parts[0]), VolumeNames.check(decode(parts[1])));
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        long offset = number(query, "offset");
        switch (exchange.getRequestMethod()) {
            case "GET" -> {
                local.read(volume, offset, number(query, "length"), body::start);
            }
            case "PUT" -> {
                String declared = exchange.getRequestHeaders().getFirst("Content-Length");
                if (declared == null) {
                    throw ElasticException.usage("a write needs its exact Content-Length");
                }
                long length = parse("Content-Length", declared);
                local.write(volume, offset, length, exchange.getRequestBody());
                exchange.sendResponseHeaders(204, -1);
            }
            default -> throw new ElasticException(ErrorType.METHOD, "the data path takes GET and PUT only");
        }
    }

    /** An error reply, or, when bytes are already on their way, a broken-off connection. */
    private static void fail(HttpExchange exchange, Reply body, ErrorType type, String message) throws IOException {
        if (body.started) {
            throw new IOException("data path: failed after the reply started: " + message);
        }
        byte[] text = (message == null ? type.header() : message).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set(DataPathHttp.ERROR_HEADER, type.header());
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(type.status(), text.length);
        exchange.getResponseBody().write(text);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
                }
            }
        }
        return values;
    }

    private static long number(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null) {
            throw ElasticException.usage("the data path needs %s", name);
        }
        return parse(name, value);
    }

    private static long parse(String name, String value) {
        try {
            long n = Long.parseLong(value.strip());
            if (n < 0) {
                throw ElasticException.usage("negative %s", name);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ElasticException.usage("%s is not a number: %s", name, value);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(1);
        threads.shutdownNow();
    }

    /** The reply of a read: its headers, with the exact length, go out just before its first byte. */
    private static final class Reply {
        private final HttpExchange exchange;
        boolean started;

        Reply(HttpExchange exchange) {
            this.exchange = exchange;
        }

        OutputStream start(long count) throws IOException {
            started = true;
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, count == 0 ? -1 : count);
            return exchange.getResponseBody();
        }
    }
}
