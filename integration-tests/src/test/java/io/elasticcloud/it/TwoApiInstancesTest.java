package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two API instances on one PostgreSQL and one bus ({@link ThreeHosts} and another API process)
 * behind HAProxy ({@link LoadBalancer}), with one storage and one agent process (libvirt's {@code
 * test:///default}): the placement and MAC locks hold across the instances, since they live in
 * the database. 200 parallel creates with start through the load balancer ({@link ConcurrentStarts})
 * fill the host exactly to its capacity and no further, and no MAC or address goes to two servers; the host placement lock
 * held in the database holds off a start on either instance; one customer's parallel creates on
 * both instances pass its servers quota exactly, and servers avoiding each other started at once on
 * both land one on the host; and behind the load balancer each client is counted by its own
 * address, which it cannot forge. Last, {@code kill -9} of one instance under load
 * ({@link ApiInstanceKill}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoApiInstancesTest {
    /** {@code Locks}' placement lock of host {@code node}: advisory lock (0x454c0001, the name's hashCode) (docs/architecture.md). */
    private static String placementLock(String node) {
        return "1162608641, " + node.hashCode();
    }
    /** The address a client failing its logins attacks from; no other test uses it. */
    private static final String ATTACKER = "127.0.0.5";
    private static final int QUOTA = 4;

    private static ThreeHosts hosts;
    private static RunningSystem second;
    private static LoadBalancer lb;

    @BeforeAll
    static void start() {
        int nbd = 26000 + new Random().nextInt(100) * 64;
        // storage and agent on machines of different names, so that drives reach guests as NBD
        // exports (ApiInstanceKill counts them); the agent's public network and bridge named for
        // this test alone: on test:///default the network is the agent's own, its DHCP host files
        // are not
        hosts = ThreeHosts.start("two", List.of("--elastic.storage.host=two-storage",
                        "--elastic.storage.nbd.address=127.0.0.1", "--elastic.storage.nbd.ports=" + nbd + "-" + (nbd + 63)),
                List.of("--elastic.agent.libvirt-uri=test:///default", "--elastic.agent.host=two-hv",
                        "--elastic.agent.network=two-public", "--elastic.agent.network-bridge=twopub0"),
                List.of("--server.forward-headers-strategy=native",
                        "--server.tomcat.remoteip.internal-proxies=" + LoadBalancer.TRUSTED,
                        "--elastic.network.pools[0].name=two", "--elastic.network.pools[0].cidr=169.254.10.0/24",
                        "--elastic.network.pools[0].first=169.254.10.2", "--elastic.network.pools[0].last=169.254.10.250",
                        "--elastic.servers.export-sweep-interval=5s"));
        second = hosts.startAnotherApi("two-api2");
        lb = LoadBalancer.start("two-lb", hosts.api, second);
    }

    @AfterAll
    static void stop() {
        try {
            if (lb != null) {
                lb.close();
            }
            if (hosts != null) {
                hosts.close();
            }
        } finally {
            if (hosts != null && hosts.storage != null) {
                StorageExports.kill(hosts.storage); // they outlive the storage process on purpose
            }
        }
    }

    /** Last: the instance it kills is started again, but the other tests' counts need a quiet start. */
    @Test
    @Order(Integer.MAX_VALUE)
    void killingOneInstanceUnderLoadFailsOnlyItsCallsInFlightAndLeavesNothingBehind() throws Exception {
        new ApiInstanceKill(hosts, second, lb).run();
    }

    @Test
    void twoHundredParallelStartsOnBothInstancesNeverOvercommitTheHostNorGiveAMacOrAddressTwice() throws Exception {
        new ConcurrentStarts(hosts, second, lb).run();
    }

    private static void destroy(String customer, String server) {
        ThreeHosts.assertStatus(hosts.http.post("/servers/" + server + "/destroy", customer, (byte[]) null), 204);
    }

    @Test
    void theHostsPlacementLockInTheDatabaseHoldsOffAStartOnEitherInstance() throws Exception {
        String customer = PlainHttp.basic(hosts.api.createCustomer());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection db = hosts.database().connect(); Statement sql = db.createStatement()) {
            // held as an instance placing a start holds it
            sql.execute("SELECT pg_advisory_lock(" + placementLock(hosts.agentNode()) + ")");
            List<Future<PlainHttp.Reply>> starts = new ArrayList<>();
            int i = 0;
            for (PlainHttp instance : new PlainHttp[] {hosts.http, second.http()}) {
                String body = "name w" + i++ + "\ncpu 100\nmem 64\n";
                starts.add(pool.submit(() -> instance.post("/servers/create", customer, body)));
            }
            Thread.sleep(1500);
            assertThat(starts).as("starts placed while the lock is held elsewhere").noneMatch(Future::isDone);
            sql.execute("SELECT pg_advisory_unlock(" + placementLock(hosts.agentNode()) + ")");
            for (Future<PlainHttp.Reply> start : starts) {
                PlainHttp.Reply r = start.get(60, TimeUnit.SECONDS);
                ThreeHosts.assertStatus(r, 200);
                destroy(customer, PlainHttp.parseObject(r.text()).get("server"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aQuotaAndAvoidHoldAcrossTheInstances() throws Exception {
        Customer owner = hosts.api.createCustomer();
        String customer = PlainHttp.basic(owner);
        ThreeHosts.assertStatus(hosts.http.post("/actuator/quotas/" + owner.uuid(), hosts.admin,
                "{\"servers\": " + QUOTA + "}", "Content-Type", "application/json"), 200);
        PlainHttp[] instances = {hosts.http, second.http()};
        ExecutorService pool = Executors.newFixedThreadPool(QUOTA * 3);
        try {
            // QUOTA * 3 creates of one customer, alternately on each instance: QUOTA pass
            List<Future<PlainHttp.Reply>> creates = new ArrayList<>();
            for (int i = 0; i < QUOTA * 3; i++) {
                PlainHttp instance = instances[i % 2];
                String body = "name q" + i + "\ncpu 100\nmem 64\n";
                creates.add(pool.submit(() -> instance.post("/servers/create/stopped", customer, body)));
            }
            List<String> made = new ArrayList<>();
            for (Future<PlainHttp.Reply> f : creates) {
                PlainHttp.Reply r = f.get(120, TimeUnit.SECONDS);
                if (r.status() == 200) {
                    made.add(PlainHttp.parseObject(r.text()).get("server"));
                } else {
                    assertThat(r.status()).as(r.describe()).isEqualTo(402);
                    assertThat(r.header("X-Elastic-Error")).contains("billing");
                }
            }
            assertThat(made).as("servers made under a quota of %d", QUOTA).hasSize(QUOTA);

            // each avoids all the others; started at once on both instances, one host takes one
            for (String server : made) {
                List<String> others = made.stream().filter(o -> !o.equals(server)).toList();
                ThreeHosts.assertStatus(hosts.http.post("/servers/" + server + "/set", customer,
                        "avoid:servers " + String.join(" ", others) + "\n"), 200);
            }
            List<Future<PlainHttp.Reply>> starts = new ArrayList<>();
            for (int i = 0; i < made.size(); i++) {
                PlainHttp instance = instances[i % 2];
                String server = made.get(i);
                starts.add(pool.submit(() -> instance.post("/servers/" + server + "/start", customer, (byte[]) null)));
            }
            int started = 0;
            for (Future<PlainHttp.Reply> f : starts) {
                PlainHttp.Reply r = f.get(120, TimeUnit.SECONDS);
                if (r.status() == 204) {
                    started++;
                } else {
                    assertThat(r.status()).as(r.describe()).isEqualTo(507);
                }
            }
            assertThat(started).as("servers avoiding each other started on the one host").isEqualTo(1);
            PlainHttp.Reply list = second.http().get("/servers/info", customer);
            assertThat(PlainHttp.parseBlocks(list.text()).stream().filter(s -> "active".equals(s.get("status"))))
                    .hasSize(1);
            made.forEach(server -> destroy(customer, server));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void behindTheLoadBalancerFailedLoginsHoldBackTheirOwnClientOnly() throws Exception {
        String wrong = PlainHttp.basic("nobody", "guess");
        int balancer = lb.baseUri().getPort();
        // an attacker at 127.0.0.5 fails through the load balancer (a connection each, so both
        // instances see it), naming another client's address
        for (int i = 0; i < 24; i++) {
            retryAfter(ATTACKER, balancer, wrong, "127.0.0.3");
        }
        // counted against its own address: both instances hold it back whatever address it claims
        // (the budget is per instance); from a peer other than the balancer the header is not
        // believed at all
        for (RunningSystem instance : new RunningSystem[] {hosts.api, second}) {
            assertThat(retryAfter(ATTACKER, instance.baseUri().getPort(), wrong, "127.0.0.9")).as("held back").isNotNull();
        }
        // the client at the address it named is not held back, on either instance
        for (int i = 0; i < 4; i++) {
            assertThat(retryAfter("127.0.0.3", balancer, wrong, null)).as("held back").isNull();
        }
    }

    /**
     * {@code GET /servers/info} from a client at {@code local} to {@code port} on loopback, with
     * {@code forwardedFor} as X-Forwarded-For unless null: answers its Retry-After (a 401), or null.
     */
    private static String retryAfter(String local, int port, String authorization, String forwardedFor) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(local, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(30_000);
            String request = "GET /servers/info HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization + "\r\n"
                    + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") + "Connection: close\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("HTTP/1.1 401");
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.regionMatches(true, 0, "Retry-After:", 0, 12)) {
                    return line.substring(12).trim();
                }
            }
            return null;
        }
    }
}
