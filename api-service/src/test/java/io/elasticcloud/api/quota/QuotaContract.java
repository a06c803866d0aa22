package io.elasticcloud.api.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.resource.ResourceService;
import io.elasticcloud.api.server.ServerTestBase;
import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.StatementCounter;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Per-customer limits with billing off: parallel creates of one customer never pass a limit
 * ({@code 402 billing}), other customers still create, an admin's override raises one customer's
 * limit and {@code /actuator/quotas} shows use and limits; VLAN identifiers come back after a
 * create/destroy loop instead of running out.
 */
@TestPropertySource(properties = {
        "elastic.quota.drives=3", "elastic.quota.disk=10MB", "elastic.quota.servers=2", "elastic.quota.cpu=3000",
        "elastic.quota.mem=512", "elastic.quota.ips=2", "elastic.quota.vlans=2",
        "elastic.network.vni-max=5", "elastic.network.vni-quarantine=0s"})
abstract class QuotaContract extends ServerTestBase {
    private static final String JSON = "application/json";

    @Autowired
    ResourceService resources;
    @Autowired
    StatementCounter counter;

    @AfterEach
    void destroyEverything() {
        destroyServers();
        for (ApiClient client : new ApiClient[] {api, other}) {
            for (String line : ApiClient.text(client.get("/resources/list")).split("\n")) {
                if (!line.isBlank()) {
                    String[] r = line.split(" ");
                    client.post("/resources/" + r[0] + "/" + r[1] + "/destroy", "");
                }
            }
            for (String line : ApiClient.text(client.get("/drives/list")).split("\n")) {
                if (!line.isBlank()) {
                    client.post("/drives/" + line.strip() + "/destroy", "");
                }
            }
        }
    }

    @Test
    void parallelCreatesOfOneCustomerNeverPassItsLimits() throws Exception {
        assertLimited(inParallel(20, () -> api.post("/resources/ip/create", "")), 2);
        assertLimited(inParallel(20, () -> api.post("/resources/vlan/create", "")), 2);
        assertLimited(inParallel(20, () -> api.post("/drives/create", "name d\nsize 1M\n")), 3);
        assertLimited(inParallel(20, () -> api.post("/servers/create/stopped", "name s\ncpu 500\nmem 64\n")), 2);
        // the others are not held back by one customer's use
        assertThat(other.post("/resources/ip/create", "").statusCode()).isEqualTo(200);
        assertThat(other.post("/resources/vlan/create", "").statusCode()).isEqualTo(200);
        assertThat(other.post("/drives/create", "name d\nsize 1M\n").statusCode()).isEqualTo(200);
        assertThat(other.post("/servers/create/stopped", "name s\ncpu 500\nmem 64\n").statusCode()).isEqualTo(200);
    }

    @Test
    void diskCpuAndMemoryAreLimitedAsBillingCountsThem() {
        assertError(api.post("/drives/create", "name big\nsize 11M\n"), 402, "billing");
        String drive = properties(api.post("/drives/create", "name d\nsize 6M\n")).get("drive");
        assertError(api.post("/drives/" + drive + "/set", "size 11M\n"), 402, "billing");
        assertThat(api.post("/drives/" + drive + "/set", "size 10M\n").statusCode()).isEqualTo(200);
        // a server is checked as if it ran, at create and at each start
        assertError(api.post("/servers/create/stopped", "name big\ncpu 3001\nmem 64\n"), 402, "billing");
        assertError(api.post("/servers/create/stopped", "name big\ncpu 500\nmem 513\n"), 402, "billing");
        String first = create("/servers/create/stopped", "name a\ncpu 2000\nmem 256\n").get("server");
        String second = create("/servers/create/stopped", "name b\ncpu 2000\nmem 256\n").get("server");
        assertThat(api.post("/servers/" + first + "/start", "").statusCode()).isEqualTo(204);
        HttpResponse<byte[]> start = api.post("/servers/" + second + "/start", "");
        assertError(start, 402, "billing");
        assertThat(ApiClient.text(start)).contains("cpu", "3000");
        api.post("/servers/" + first + "/stop", "");
        assertThat(api.post("/servers/" + second + "/start", "").statusCode()).isEqualTo(204);
    }

    /**
     * A create with its start is checked for what it runs with by the start alone (the create checks
     * only that one server more is allowed): over a limit it is refused all the same, and leaves no
     * server behind.
     */
    @Test
    void aCreateWithStartOverALimitIsRefusedAndLeavesNoServer() {
        assertError(api.post("/servers/create", "name big\ncpu 3001\nmem 64\n"), 402, "billing");
        assertError(api.post("/servers/create", "name big\ncpu 500\nmem 513\n"), 402, "billing");
        create("/servers/create", "name a\ncpu 2000\nmem 256\n");
        HttpResponse<byte[]> second = api.post("/servers/create", "name b\ncpu 2000\nmem 256\n");
        assertError(second, 402, "billing");
        assertThat(ApiClient.text(second)).contains("cpu", "3000");
        assertThat(ApiClient.text(api.get("/servers/list")).strip().split("\n")).hasSize(1);
    }

    /**
     * A start is checked under the host placement lock, which every start in the cloud waits for:
     * the check reads what the account's servers hold, not its drives, IPs or VLANs (which a start
     * adds nothing to). It still stops a start over the cpu limit: {@link #diskCpuAndMemoryAreLimitedAsBillingCountsThem}.
     */
    @Test
    void aStartsCheckReadsOnlyWhatTheServersHold() {
        assertThat(api.post("/resources/ip/create", "").statusCode()).isEqualTo(200);
        assertThat(api.post("/resources/vlan/create", "").statusCode()).isEqualTo(200);
        assertThat(api.post("/drives/create", "name d\nsize 1M\n").statusCode()).isEqualTo(200);
        String server = create("/servers/create/stopped", "name a\ncpu 500\nmem 64\n").get("server");
        String token = UUID.randomUUID().toString();
        HttpResponse<byte[]> start = api.post("/servers/" + server + "/start", "", StatementCounter.HEADER, token);
        assertThat(start.statusCode()).as(ApiClient.text(start)).isEqualTo(204);
        assertThat(counter.statements(token)).isNotEmpty()
                .noneMatch(sql -> sql.matches("(?is).*\\b(from|join) (ip_address|vlan|account_drives)\\b.*"));
    }

    @Test
    void anAdminOverrideRaisesOneCustomersLimitAndActuatorShowsUseAndLimits() {
        assertThat(api.post("/resources/ip/create", "").statusCode()).isEqualTo(200);
        assertError(admin.post("/actuator/quotas/" + user, "{\"ips\": -1}", "Content-Type", JSON), 400, "usage");
        HttpResponse<byte[]> set = admin.post("/actuator/quotas/" + user, "{\"ips\": 4, \"drives\": 0}",
                "Content-Type", JSON);
        assertThat(set.statusCode()).as(ApiClient.text(set)).isEqualTo(200);
        assertThat(api.post("/actuator/quotas/" + user, "{\"ips\": 100}", "Content-Type", JSON).statusCode())
                .as("a customer cannot raise their own limits").isEqualTo(401);
        for (int i = 0; i < 3; i++) {
            assertThat(api.post("/resources/ip/create", "").statusCode()).isEqualTo(200);
        }
        assertError(api.post("/resources/ip/create", ""), 402, "billing");
        assertError(api.post("/drives/create", "name d\nsize 1M\n"), 402, "billing");
        // the other customer keeps the default
        for (int i = 0; i < 2; i++) {
            assertThat(other.post("/resources/ip/create", "").statusCode()).isEqualTo(200);
        }
        assertError(other.post("/resources/ip/create", ""), 402, "billing");

        String view = ApiClient.text(admin.get("/actuator/quotas/" + user));
        assertThat(view).contains("\"limits\":{\"drives\":0,\"disk\":10485760,\"servers\":2,\"cpu\":3000,\"mem\":512,"
                + "\"ips\":4,\"vlans\":2}");
        assertThat(view).contains("\"used\":{\"drives\":0,\"disk\":0,\"servers\":0,\"cpu\":0,\"mem\":0,\"ips\":4,"
                + "\"vlans\":0}");
        assertThat(view).contains("\"override\":{\"drives\":0,\"ips\":4}");
        assertThat(ApiClient.text(admin.get("/actuator/quotas"))).contains("\"ips\":2");
        assertThat(ApiClient.text(admin.get("/actuator/audit"))).contains("\"action\":\"quota\"");

        assertThat(admin.post("/actuator/quotas/" + user, "{}", "Content-Type", JSON).statusCode()).isEqualTo(200);
        assertThat(ApiClient.text(admin.get("/actuator/quotas/" + user))).contains("\"override\":{}", "\"ips\":2");
        assertError(admin.get("/actuator/quotas/" + UUID.randomUUID()), 404, "missing");
    }

    @Test
    void aCreateDestroyLoopOfVlansReusesTheirIdentifiers() {
        // five VNIs in this cloud; 30 VLANs created and destroyed one after the other
        for (int i = 0; i < 30; i++) {
            HttpResponse<byte[]> created = api.post("/resources/vlan/create", "name loop\n");
            assertThat(created.statusCode()).as("create #%d: %s", i, ApiClient.text(created)).isEqualTo(200);
            String vlan = properties(created).get("resource");
            assertThat(resources.vlan(UUID.fromString(vlan)).orElseThrow().vni()).isBetween(1, 5);
            assertThat(api.post("/resources/vlan/" + vlan + "/destroy", "").statusCode()).isEqualTo(204);
        }
        // held VNIs are never handed out twice; none left is 507 full
        List<Integer> held = new ArrayList<>();
        for (ApiClient client : new ApiClient[] {api, other}) {
            for (int i = 0; i < 2; i++) {
                String vlan = properties(client.post("/resources/vlan/create", "")).get("resource");
                held.add(resources.vlan(UUID.fromString(vlan)).orElseThrow().vni());
            }
        }
        assertThat(held).doesNotHaveDuplicates();
        admin.post("/actuator/quotas/" + user, "{\"vlans\": 10}", "Content-Type", JSON);
        HttpResponse<byte[]> fifth = api.post("/resources/vlan/create", "");
        assertThat(fifth.statusCode()).isEqualTo(200);
        held.add(resources.vlan(UUID.fromString(properties(fifth).get("resource"))).orElseThrow().vni());
        assertThat(held).doesNotHaveDuplicates().hasSize(5);
        assertError(api.post("/resources/vlan/create", ""), 507, "full");
    }

    private static void assertLimited(List<HttpResponse<byte[]>> replies, int limit) {
        assertThat(replies.stream().filter(r -> r.statusCode() == 200)).hasSize(limit);
        replies.stream().filter(r -> r.statusCode() != 200).forEach(r -> assertError(r, 402, "billing"));
    }

    private static List<HttpResponse<byte[]>> inParallel(int calls, Callable<HttpResponse<byte[]>> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<byte[]>>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                futures.add(pool.submit(call));
            }
            List<HttpResponse<byte[]>> replies = new ArrayList<>();
            for (Future<HttpResponse<byte[]>> f : futures) {
                replies.add(f.get(60, TimeUnit.SECONDS));
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }
}
