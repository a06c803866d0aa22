package io.elasticcloud.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A loopback stand-in for the API, for the tool's own tests: it records every request (method,
 * path, headers, body), keeps drives in memory (create, info, read, write with gzip), answers
 * with the API's error form, and can be told to fail requests ({@link #failWrites}).
 */
public final class FakeApi implements AutoCloseable {
    public static final String USER = "11111111-2222-3333-4444-555555555555";
    public static final String KEY = "s3cret-key-never-printed";

    /** One request as received. */
    public record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private static final Pattern INFO = Pattern.compile("/drives/([^/]+)/info");
    private static final Pattern READ = Pattern.compile("/drives/([^/]+)/read/(\\d+)/(\\d+)");
    private static final Pattern WRITE = Pattern.compile("/drives/([^/]+)/write(?:/(\\d+))?");

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, byte[]> drives = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();
    private volatile Function<Integer, String> writeFailure = n -> null;
    private volatile Function<Request, String[]> override = r -> null;

    public FakeApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
    }

    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public Map<String, String> env() {
        return Map.of("EHURI", uri(), "EHAUTH", USER + ":" + KEY, "HOME", "/nonexistent");
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public byte[] drive(String uuid) {
        return drives.get(uuid);
    }

    public String addDrive(int size) {
        String id = UUID.randomUUID().toString();
        drives.put(id, new byte[size]);
        return id;
    }

    /**
     * For write number n (from 1), an error "STATUS TYPE" to answer instead, or null to do it.
     */
    public void failWrites(Function<Integer, String> failure) {
        this.writeFailure = failure;
    }

    /** Answers a request with {status, errorType-or-null, body} instead of the fake's own handling. */
    public void override(Function<Request, String[]> answer) {
        this.override = answer;
    }

    public int writeCount() {
        return writes.get();
    }

    private void handle(HttpExchange x) throws IOException {
        byte[] body = x.getRequestBody().readAllBytes();
        Request r = new Request(x.getRequestMethod(), x.getRequestURI().getRawPath(), x.getRequestHeaders(), body);
        requests.add(r);
        try {
            String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (USER + ":" + KEY).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(r.header("Authorization"))) {
                error(x, 401, "auth", "HTTP Basic authentication is missing or incorrect");
                return;
            }
            String[] o = override.apply(r);
            if (o != null) {
                if (o[1] != null) {
                    error(x, Integer.parseInt(o[0]), o[1], o[2]);
                } else {
                    reply(x, Integer.parseInt(o[0]), o[2].getBytes(StandardCharsets.UTF_8));
                }
                return;
            }
            route(x, r);
        } finally {
            x.close();
        }
    }

    private void route(HttpExchange x, Request r) throws IOException {
        String p = r.path();
        Matcher m;
        if (p.equals("/drives/create")) {
            Map<String, String> kv = parse(r.text());
            String id = UUID.randomUUID().toString();
            drives.put(id, new byte[Integer.parseInt(kv.get("size"))]);
            reply(x, 200, info(id, kv.get("name")).getBytes(StandardCharsets.UTF_8));
        } else if ((m = INFO.matcher(p)).matches()) {
            if (!drives.containsKey(m.group(1))) {
                error(x, 404, "missing", "no drive " + m.group(1));
                return;
            }
            reply(x, 200, info(m.group(1), "d").getBytes(StandardCharsets.UTF_8));
        } else if ((m = READ.matcher(p)).matches()) {
            byte[] d = drives.get(m.group(1));
            if (d == null) {
                error(x, 404, "missing", "no drive " + m.group(1));
                return;
            }
            int off = Integer.parseInt(m.group(2));
            int len = Math.min(Integer.parseInt(m.group(3)), Math.max(0, d.length - off));
            byte[] out = new byte[len];
            System.arraycopy(d, off, out, 0, len);
            reply(x, 200, out);
        } else if ((m = WRITE.matcher(p)).matches()) {
            int n = writes.incrementAndGet();
            String fail = writeFailure.apply(n);
            if (fail != null) {
                String[] f = fail.split(" ", 2);
                error(x, Integer.parseInt(f[0]), f[1], "write " + n + " refused by the test");
                return;
            }
            byte[] d = drives.get(m.group(1));
            if (d == null) {
                error(x, 404, "missing", "no drive " + m.group(1));
                return;
            }
            byte[] data = "gzip".equals(r.header("Content-Encoding")) ? gunzip(r.body()) : r.body();
            int off = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
            if (off + data.length > d.length) {
                error(x, 507, "full", "the data ends past the end of the drive");
                return;
            }
            synchronized (d) {
                System.arraycopy(data, 0, d, off, data.length);
            }
            reply(x, 204, null);
        } else {
            error(x, 404, "missing", "no such command");
        }
    }

    private String info(String id, String name) {
        return "name " + name + "\ndrive " + id + "\nsize " + drives.get(id).length + "\nstatus active\nuser " + USER
                + "\n";
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String l : text.split("\n")) {
            int sp = l.indexOf(' ');
            if (sp > 0) {
                m.put(l.substring(0, sp), l.substring(sp + 1));
            }
        }
        return m;
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static void reply(HttpExchange x, int status, byte[] body) throws IOException {
        if (body == null) {
            x.sendResponseHeaders(status, -1);
            return;
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        x.getResponseBody().write(body);
    }

    private static void error(HttpExchange x, int status, String type, String text) throws IOException {
        x.getResponseHeaders().add("X-Elastic-Error", type);
        x.getResponseHeaders().add("Content-Type", "text/plain");
        reply(x, status, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
