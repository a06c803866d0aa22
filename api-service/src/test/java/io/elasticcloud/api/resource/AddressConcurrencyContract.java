package io.elasticcloud.api.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Static IPs created and servers started with {@code nic:0:dhcp auto} at once, on a pool of 29
 * addresses (169.254.40.0/27 less the gateway): never one address twice, {@code 507 full} exactly
 * when the pool is empty. The allocator has no lock in the JVM: the database alone decides.
 */
@TestPropertySource(properties = {
        "elastic.network.pools[0].name=tiny",
        "elastic.network.pools[0].cidr=169.254.40.0/27",
        // one customer takes the whole pool here: this test is about the pool, not the quota
        "elastic.quota.ips=1000", "elastic.quota.servers=1000"})
abstract class AddressConcurrencyContract extends ResourceTestBase {
    static final int POOL_SIZE = 29;

    /** One request's outcome: its status and the address it got (null unless 200). */
    private record Outcome(int status, String address, String free) {
    }

    @Test
    void twoHundredParallelRequestsNeverShareAnAddressAndAreFullOnlyWhenThePoolIsEmpty() throws Exception {
        List<Outcome> outcomes = runInParallel(200, 20);
        List<String> addresses = outcomes.stream().filter(o -> o.status() == 200).map(Outcome::address).toList();
        assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).isIn(200, 507));
        assertThat(addresses).hasSize(POOL_SIZE).doesNotHaveDuplicates()
                .allSatisfy(a -> assertThat(a).matches("169\\.254\\.40\\.([2-9]|[12][0-9]|30)"));
        // every 507 was answered with the pool empty: no address free right after it
        assertThat(outcomes.stream().filter(o -> o.status() == 507)).hasSize(200 - POOL_SIZE)
                .allSatisfy(o -> assertThat(o.free()).contains("\"free\":0"));
        assertThat(pool("tiny")).contains("\"free\":0");
        assertThat(heldInDatabase()).containsExactlyInAnyOrderElementsOf(addresses);
    }

    @Test
    void asManyParallelRequestsAsAddressesAllSucceed() throws Exception {
        // no request is refused while an address is free, however they interleave
        List<Outcome> outcomes = runInParallel(POOL_SIZE, 9);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).isEqualTo(200));
        assertThat(outcomes.stream().map(Outcome::address)).doesNotHaveDuplicates().hasSize(POOL_SIZE);
        assertError(api.post("/resources/ip/create", ""), 507, "full");
        assertError(api.post("/servers/create", "name late\ncpu 100\nmem 16\nnic:0:dhcp auto\n"), 507, "full");
    }

    /**
     * {@code total} requests started together: {@code servers} of them create and start a server
     * with an auto address, the others create static IPs, for two customers.
     */
    private List<Outcome> runInParallel(int total, int servers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(total);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                // server creates queue for the placement lock: on a busy machine 20 of them take a while
                ApiClient client = (i % 2 == 0 ? api : other).withTimeout(Duration.ofMinutes(2));
                Supplier<Outcome> request = i < servers
                        ? () -> outcome(client.post("/servers/create", "name s\ncpu 100\nmem 16\nnic:0:dhcp auto\n"),
                                "nic:0:dhcp:ip")
                        : () -> outcome(client.post("/resources/ip/create", "name parallel\n"), "resource");
                futures.add(pool.submit(() -> {
                    go.await();
                    return request.get();
                }));
            }
            go.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get(150, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private Outcome outcome(HttpResponse<byte[]> reply, String key) {
        if (reply.statusCode() == 200) {
            return new Outcome(200, properties(reply).get(key), null);
        }
        assertError(reply, 507, "full");
        return new Outcome(reply.statusCode(), null, pool("tiny"));
    }

    /** The addresses the pool's rows hold, as the admin sees them. */
    private Set<String> heldInDatabase() {
        Set<String> held = new HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"address\":\"([0-9.]+)\"").matcher(pool("tiny"));
        while (m.find()) {
            held.add(m.group(1));
        }
        return held;
    }
}
