package io.elasticcloud.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's steps on {@code deploy/load-balancer.sh}'s runtime API (ELASTIC_LB_SOCKET), word
 * for word as docs/operations.md gives them to {@code socat}, against stand-in instances (they
 * answer health, and hold a {@code /slow} request until the test lets it go): an instance added
 * while the balancer runs (with its unchecked backup) gets requests; one taken out ({@code state
 * maint}, its backup too) gets no new request while the one it has in flight finishes, its {@code
 * scur} in {@code show stat} falls to 0, and once stopped it can be deleted.
 */
class LoadBalancerRuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<HttpServer> instances = new ArrayList<>();
    private final List<ExecutorService> threads = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<String> slowOn = new AtomicReference<>();
    private LoadBalancer lb;

    @AfterEach
    void stop() {
        release.countDown();
        if (lb != null) {
            lb.close();
        }
        instances.forEach(s -> s.stop(0));
        threads.forEach(ExecutorService::shutdownNow);
    }

    @Test
    void anInstanceIsAddedAndAnotherDrainedWhileTheBalancerRuns() throws Exception {
        String a = instance();
        String b = instance();
        Path socket = dir.resolve("admin.sock");
        lb = LoadBalancer.onPorts("lb-runtime", socket, port(a), port(b));
        PlainHttp http = lb.http();
        Wait.until("both instances answer through the balancer", WAIT, () -> answering(http, 8).containsAll(Set.of(a, b)));

        // add one, and its unchecked backup
        String c = instance();
        assertThat(admin(socket, "add server instances/" + c + " " + c + " check inter 2s fall 3 rise 2 maxconn 400"))
                .contains("New server registered");
        admin(socket, "enable health instances/" + c);
        admin(socket, "enable server instances/" + c);
        assertThat(admin(socket, "add server instances/" + c + "-unchecked " + c + " backup maxconn 400"))
                .contains("New server registered");
        admin(socket, "enable server instances/" + c + "-unchecked");
        Wait.until("the added instance answers through the balancer", WAIT, () -> answering(http, 6).contains(c));

        // drain the one holding a request in flight
        CompletableFuture<PlainHttp.Reply> slow = CompletableFuture.supplyAsync(() -> http.get("/slow", null));
        Wait.until("the slow request reaches an instance", WAIT, () -> slowOn.get() != null);
        String drained = slowOn.get();
        admin(socket, "set server instances/" + drained + " state maint");
        admin(socket, "set server instances/" + drained + "-unchecked state maint");
        assertThat(answering(http, 9)).as("no new request reaches the drained instance").doesNotContain(drained)
                .hasSize(2);
        assertThat(inFlight(socket, drained)).isEqualTo(1);
        release.countDown();
        PlainHttp.Reply done = slow.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.text()).isEqualTo(drained);
        Wait.until("nothing in flight on the drained instance", WAIT, () -> inFlight(socket, drained) == 0);

        // stopped (its idle connections with it), it can be deleted from the running balancer
        instances.stream().filter(i -> drained.endsWith(":" + i.getAddress().getPort())).forEach(i -> i.stop(0));
        for (String server : List.of(drained, drained + "-unchecked")) {
            Wait.until(server + " is deleted", WAIT,
                    () -> admin(socket, "del server instances/" + server).contains("Server deleted"));
        }
        assertThat(admin(socket, "show servers state instances")).doesNotContain(drained).contains(c + "-unchecked");
    }

    /** Who answered {@code n} requests through the balancer. */
    private static Set<String> answering(PlainHttp http, int n) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < n; i++) {
            PlainHttp.Reply r = http.get("/", null);
            if (r.status() == 200) {
                names.add(r.text());
            }
        }
        return names;
    }

    /** {@code scur} of the server in {@code show stat}: its requests in flight. */
    private static int inFlight(Path socket, String server) {
        for (String line : admin(socket, "show stat").split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length > 4 && f[0].equals("instances") && f[1].equals(server)) {
                return Integer.parseInt(f[4]);
            }
        }
        throw new AssertionError("no server " + server + " in show stat");
    }

    /** One command to the runtime API, as the runbook sends it: {@code echo CMD | socat stdio UNIX-CONNECT:SOCKET}. */
    private static String admin(Path socket, String command) {
        try {
            Process p = new ProcessBuilder("socat", "stdio", "UNIX-CONNECT:" + socket).redirectErrorStream(true).start();
            p.getOutputStream().write((command + "\n").getBytes(UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), UTF_8);
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as(command).isTrue();
            assertThat(p.exitValue()).as(command + ": " + out).isZero();
            return out;
        } catch (IOException e) {
            throw new AssertionError("socat " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A stand-in API instance on loopback, answering its own ADDRESS:PORT as the body; returns that. */
    private String instance() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String name = "127.0.0.1:" + server.getAddress().getPort();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        threads.add(pool);
        server.setExecutor(pool);
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/slow")) {
                slowOn.compareAndSet(null, name);
                try {
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            answer(exchange, exchange.getRequestURI().getPath().equals("/actuator/health") ? "{\"status\":\"UP\"}" : name);
        });
        server.start();
        instances.add(server);
        return name;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
