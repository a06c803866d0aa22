package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@link #SENT} creates with start sent at once through the load balancer, each by a customer of
 * its own (one customer's commands already wait on each other at the account's row), from
 * {@link #ADDRESSES} client addresses (as many customers behind one address would meet that
 * address's limit of requests in progress, by design): the host takes exactly as many as fit
 * ({@link #FIT}), every other create is refused as {@code full}; counted afterwards from the
 * database and from the agent's own list of guests (its heartbeat, read off the bus): exactly
 * {@link #FIT} servers active, each running on the agent, each with a MAC and an address of its
 * own; the host's free CPU is what the {@link #FIT} servers left; both instances took part.
 */
final class ConcurrentStarts {
    static final int SENT = 200;
    static final int FIT = 100;
    private static final int ADDRESSES = 8;
    private static final Duration ANSWER = Duration.ofSeconds(180);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final ThreeHosts hosts;
    private final RunningSystem second;
    private final LoadBalancer lb;

    ConcurrentStarts(ThreeHosts hosts, RunningSystem second, LoadBalancer lb) {
        this.hosts = hosts;
        this.second = second;
        this.lb = lb;
    }

    void run() throws Exception {
        long free = hosts.node("/actuator/hosts", hosts.agentNode).get("cpuFreeMhz").getAsLong();
        long cpu = free / FIT; // FIT servers fit the host, FIT + 1 do not
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < SENT; i++) {
            customers.add(PlainHttp.basic(hosts.api.createCustomer()));
        }
        double servedBefore = served(second);
        RawHttp through = new RawHttp(lb.baseUri());
        ExecutorService pool = Executors.newFixedThreadPool(SENT);
        List<String> started = new ArrayList<>();
        try (AgentHeartbeats agent = AgentHeartbeats.listen(hosts.namespace(), hosts.agentNode)) {
            List<Future<RawHttp.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < SENT; i++) {
                String from = "127.0.1." + (1 + i % ADDRESSES);
                byte[] request = create(customers.get(i), "name p" + i + "\ncpu " + cpu + "\nmem 16\nnic:0:model virtio\nnic:0:dhcp auto\n");
                answers.add(pool.submit(() -> through.exchange(from, request, ANSWER)));
            }
            for (Future<RawHttp.Answer> f : answers) {
                RawHttp.Answer a = f.get(ANSWER.toSeconds() + 10, TimeUnit.SECONDS);
                if (a.status() == 200) {
                    Map<String, String> server = PlainHttp.parseObject(a.body());
                    assertThat(server).as(a.describe()).containsEntry("status", "active");
                    started.add(server.get("server"));
                } else {
                    assertThat(a.status()).as(a.describe()).isEqualTo(507);
                    assertThat(a.header("X-Elastic-Error")).contains("full");
                }
            }
            assertThat(started).as("servers started on one host of room for %d", FIT).hasSize(FIT);

            assertThat(hosts.query("SELECT id FROM server WHERE status = 'ACTIVE'")).as("active in the database")
                    .containsExactlyInAnyOrderElementsOf(started);
            assertThat(agent.next(HEARTBEAT)).as("guests the agent runs").containsExactlyInAnyOrderElementsOf(started);
            assertThat(hosts.query("SELECT config_value FROM server_config WHERE config_key = 'nic:0:mac'"))
                    .as("every server's MAC").doesNotHaveDuplicates();
            assertThat(hosts.query("SELECT a.server_id FROM ip_address a WHERE a.server_id IS NOT NULL"))
                    .as("servers holding an address (one each, by the schema)").containsExactlyInAnyOrderElementsOf(started);
        } finally {
            pool.shutdownNow();
        }
        assertThat(hosts.node("/actuator/hosts", hosts.agentNode).get("cpuFreeMhz").getAsLong()).isEqualTo(free - FIT * cpu);
        assertThat(served(second)).as("requests the second instance served").isGreaterThan(servedBefore + SENT / 4.0);
        for (String customer : customers) {
            PlainHttp.Reply list = hosts.http.get("/servers/info", customer);
            ThreeHosts.assertStatus(list, 200);
            for (Map<String, String> server : PlainHttp.parseBlocks(list.text())) {
                ThreeHosts.assertStatus(hosts.http.post("/servers/" + server.get("server") + "/destroy", customer, (byte[]) null), 204);
            }
        }
    }

    private static byte[] create(String authorization, String body) {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /servers/create HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
                + "\r\nContent-Type: text/plain\r\nContent-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
        byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[head8.length + content.length];
        System.arraycopy(head8, 0, request, 0, head8.length);
        System.arraycopy(content, 0, request, head8.length, content.length);
        return request;
    }

    /** Requests an instance has served ({@code elastic.api.requests}, made at the first). */
    private static double served(RunningSystem instance) {
        PlainHttp.Reply r = instance.http().get("/actuator/metrics/elastic.api.requests", instance.adminAuthorization());
        if (r.status() == 404) {
            return 0;
        }
        ThreeHosts.assertStatus(r, 200);
        return com.google.gson.JsonParser.parseString(r.text()).getAsJsonObject().getAsJsonArray("measurements")
                .get(0).getAsJsonObject().get("value").getAsDouble();
    }
}
