package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.lock.Locks;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What runs in parallel and what does not: a create records a stopped server without the
 * placement lock (only its MACs' stripes), so it never waits for starts being placed; a start is
 * placed under that lock, so parallel starts keep anti-affinity; a MAC is never given twice.
 */
abstract class ServerConcurrencyContract extends ServerTestBase {
    @Autowired
    Locks locks;
    private ExecutorService pool;

    @BeforeEach
    void threads() {
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    private <T> List<T> all(List<Future<T>> futures) throws Exception {
        List<T> done = new ArrayList<>();
        for (Future<T> f : futures) {
            done.add(f.get(60, TimeUnit.SECONDS));
        }
        return done;
    }

    @Test
    void aCreateDoesNotWaitForPlacementButAStartDoes() throws Exception {
        // another thread holds both hosts' placement locks as starts being placed on them would
        Future<HttpResponse<byte[]>> started = locks.host("host-a", () -> locks.host("host-b", () -> {
            try {
                Future<HttpResponse<byte[]>> stopped = pool.submit(() -> api.post("/servers/create/stopped",
                        "name free\ncpu 100\nmem 64\nnic:0:model virtio\n"));
                assertThat(stopped.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                Future<HttpResponse<byte[]>> placing = pool.submit(() -> api.post("/servers/create",
                        "name placed\ncpu 100\nmem 64\n"));
                assertStillRunning(placing, 500); // a start is placed under the placement lock
                return placing;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        HttpResponse<byte[]> reply = started.get(30, TimeUnit.SECONDS);
        assertThat(reply.statusCode()).as(new String(reply.body())).isEqualTo(200);
        assertThat(properties(reply)).containsEntry("status", "active");
    }

    /**
     * While one host is being placed on (its lock held, as a slow start there would), a start goes
     * to the other host at once: starts are placed under their host's lock, not one for the cloud.
     */
    @Test
    void aStartIsPlacedOnAnotherHostWhileOneIsBeingPlacedOn() throws Exception {
        for (String held : new String[] {"host-a", "host-b"}) {
            HttpResponse<byte[]> reply = locks.host(held, () -> {
                try {
                    return pool.submit(() -> api.post("/servers/create", "name beside\ncpu 100\nmem 64\n"))
                            .get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("no start placed while " + held + " was held", e);
                }
            });
            assertThat(reply.statusCode()).as(new String(reply.body())).isEqualTo(200);
            assertThat(hostOf(properties(reply).get("server"))).isSameAs(held.equals("host-a") ? hostB : hostA);
        }
    }

    @Test
    void parallelCreatesNamingOneMacGiveItToOneServer() throws Exception {
        List<Future<HttpResponse<byte[]>>> replies = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String body = "name m" + i + "\ncpu 100\nmem 64\nnic:0:model e1000\nnic:0:mac 52:54:00:0a:0b:0c\n";
            String path = i % 2 == 0 ? "/servers/create/stopped" : "/servers/create";
            Callable<HttpResponse<byte[]>> create = () -> api.post(path, body);
            replies.add(pool.submit(create));
        }
        int created = 0;
        for (HttpResponse<byte[]> r : all(replies)) {
            if (r.statusCode() == 200) {
                created++;
            } else {
                assertError(r, 409, "busy");
            }
        }
        assertThat(created).isEqualTo(1);
    }

    @Test
    void parallelCreatesDrawDistinctMacs() throws Exception {
        List<Future<HttpResponse<byte[]>>> replies = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String body = "name r" + i + "\ncpu 100\nmem 64\nnic:0:model e1000\n";
            replies.add(pool.submit(() -> api.post("/servers/create/stopped", body)));
        }
        Set<String> macs = new HashSet<>();
        for (HttpResponse<byte[]> r : all(replies)) {
            assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(200);
            macs.add(properties(r).get("nic:0:mac"));
        }
        assertThat(macs).hasSize(24).allSatisfy(mac -> assertThat(mac).matches("52:54:00(:[0-9a-f]{2}){3}"));
    }

    @Test
    void parallelStartsOfServersAvoidingEachOtherLandOnDifferentHosts() throws Exception {
        for (int round = 0; round < 3; round++) {
            List<String[]> pairs = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                String a = create("/servers/create/stopped", "name a" + p + "\ncpu 100\nmem 64\n").get("server");
                String b = create("/servers/create/stopped", "name b" + p + "\ncpu 100\nmem 64\navoid:servers " + a + "\n")
                        .get("server");
                assertThat(api.post("/servers/" + a + "/set", "avoid:servers " + b + "\n").statusCode()).isEqualTo(200);
                pairs.add(new String[] {a, b});
            }
            List<Future<HttpResponse<byte[]>>> starts = new ArrayList<>();
            for (String[] pair : pairs) {
                for (String server : pair) {
                    starts.add(pool.submit(() -> api.post("/servers/" + server + "/start", "")));
                }
            }
            for (HttpResponse<byte[]> r : all(starts)) {
                assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(204);
            }
            for (String[] pair : pairs) {
                assertThat(hostOf(pair[0])).isNotNull().isNotSameAs(hostOf(pair[1]));
            }
            destroyServers();
        }
    }

    /** Fails if {@code future} completes within {@code millis}. */
    private static void assertStillRunning(Future<?> future, long millis) throws Exception {
        try {
            future.get(millis, TimeUnit.MILLISECONDS);
            throw new AssertionError("completed while it should wait");
        } catch (TimeoutException expected) {
            // still waiting
        }
    }
}
