package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.TestApiApplication;
import java.net.http.HttpResponse;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin's view of hosts and storage nodes, health with its components, and maintenance: a
 * host in maintenance gets no new server until it is back; what runs there stays.
 */
abstract class HostOperationsContract extends ServerTestBase {
    private static final String JSON = "application/json";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final long CPU = (long) TestApiApplication.HOST_CORES * TestApiApplication.HOST_MHZ;
    private static final long MEM = TestApiApplication.HOST_MEMORY_MB;

    private HttpResponse<byte[]> maintenance(String host, boolean on) {
        return admin.post("/actuator/hosts/" + host, "{\"maintenance\":" + on + "}", "Content-Type", JSON);
    }

    @AfterEach
    void hostsBackInService() {
        for (String host : new String[] {"host-a", "host-b"}) {
            assertThat(maintenance(host, false).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void listsHostsAndStorageNodesAsTheyReported() {
        String server = create("/servers/create", "name listed\ncpu 1000\nmem 256\n").get("server");
        String host = hostOf(server) == hostA ? "host-a" : "host-b";
        JsonNode hosts = json(admin.get("/actuator/hosts"));
        for (String name : new String[] {"host-a", "host-b"}) {
            JsonNode h = byNode(hosts, name);
            assertThat(h.path("reachable").asBoolean()).isTrue();
            assertThat(h.path("lastHeartbeat").asString()).isNotEmpty();
            assertThat(h.path("cpuCapacityMhz").asLong()).isEqualTo(CPU);
            assertThat(h.path("memoryCapacityMb").asLong()).isEqualTo(MEM);
            assertThat(h.path("maintenance").asBoolean()).isFalse();
        }
        eventually("the host reports its guest", () -> json(admin.get("/actuator/hosts/" + host)).path("guests")
                .asInt() == 1);
        JsonNode one = json(admin.get("/actuator/hosts/" + host));
        assertThat(one.path("node").asString()).isEqualTo(host);
        assertThat(one.path("cpuUsedMhz").asLong()).isEqualTo(1000);
        assertThat(one.path("cpuFreeMhz").asLong()).isEqualTo(CPU - 1000);
        assertThat(one.path("memoryUsedMb").asLong()).isEqualTo(256);
        assertThat(one.path("memoryFreeMb").asLong()).isEqualTo(MEM - 256);
        assertThat(one.path("audit").isArray()).isTrue();

        create("/drives/create", "name stored\nsize 1M\n");
        JsonNode nodes = json(admin.get("/actuator/storagenodes"));
        for (String[] node : new String[][] {{"fake-a", "hw-a"}, {"fake-b", "hw-b"}}) {
            JsonNode n = byNode(nodes, node[0]);
            assertThat(n.path("hardware").asString()).isEqualTo(node[1]);
            assertThat(n.path("reachable").asBoolean()).isTrue();
            assertThat(n.path("capacityBytes").asLong()).isEqualTo(TestApiApplication.NODE_CAPACITY);
            assertThat(n.path("usedBytes").asLong() + n.path("freeBytes").asLong())
                    .isEqualTo(TestApiApplication.NODE_CAPACITY);
        }
        assertThat(json(admin.get("/actuator/storagenodes/fake-b")).path("node").asString()).isEqualTo("fake-b");
        assertError(admin.get("/actuator/hosts/host-z"), 404, "missing");
        assertError(admin.get("/actuator/storagenodes/fake-z"), 404, "missing");
    }

    @Test
    void aHostInMaintenanceGetsNoNewServerUntilItIsBack() {
        String running = create("/servers/create", "name running\ncpu 500\nmem 128\npersistent true\n").get("server");
        String waiting = create("/servers/create/stopped", "name waiting\ncpu 500\nmem 128\npersistent true\n")
                .get("server");

        JsonNode changed = json(maintenance("host-b", true));
        assertThat(changed.path("maintenance").asBoolean()).isTrue();
        assertThat(changed.path("maintenanceBy").asString()).isEqualTo("admin");
        for (int i = 0; i < 3; i++) {
            String placed = create("/servers/create", "name elsewhere\ncpu 100\nmem 64\n").get("server");
            assertThat(hostOf(placed)).as("placed away from host-b").isSameAs(hostA);
            api.post("/servers/" + placed + "/destroy", "");
        }

        assertThat(maintenance("host-a", true).statusCode()).isEqualTo(200);
        assertError(api.post("/servers/create", "name nowhere\ncpu 100\nmem 64\n"), 507, "full");
        assertError(api.post("/servers/" + waiting + "/start", ""), 507, "full");
        assertThat(info(waiting)).containsEntry("status", "stopped");
        // what already runs stays
        assertThat(info(running)).containsEntry("status", "active");
        assertThat(hostOf(running)).isNotNull();
        assertThat(json(admin.get("/actuator/hosts"))).allMatch(h -> h.path("maintenance").asBoolean());

        assertThat(json(maintenance("host-a", false)).path("maintenance").asBoolean()).isFalse();
        assertThat(api.post("/servers/" + waiting + "/start", "").statusCode()).isEqualTo(204);
        assertThat(hostOf(waiting)).isSameAs(hostA);
        assertThat(info(waiting)).containsEntry("status", "active");

        String trail = ApiClient.text(admin.get("/actuator/audit")).replace(" ", "");
        assertThat(trail).containsSubsequence("\"action\":\"maintenance-on\",\"host\":\"host-b\"",
                "\"action\":\"maintenance-on\",\"host\":\"host-a\"",
                "\"action\":\"maintenance-off\",\"host\":\"host-a\"");
        JsonNode audit = json(admin.get("/actuator/hosts/host-a")).path("audit");
        JsonNode last = audit.get(audit.size() - 1);
        assertThat(last.path("action").asString()).isEqualTo("maintenance-off");
        assertThat(last.path("actor").asString()).isEqualTo("admin");
    }

    @Test
    void healthShowsTheDatabaseTheBusAndEveryNode() {
        eventually("every node has reported", () -> "UP".equals(
                json(admin.get("/actuator/health")).at("/components/hosts/components/host-b/status").asString()));
        JsonNode health = json(admin.get("/actuator/health"));
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/db/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/bus/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/bus/details/transport").asString()).isEqualTo("in-process");
        assertThat(health.at("/components/hosts/status").asString()).isEqualTo("UP");
        JsonNode hostA = health.at("/components/hosts/components/host-a");
        assertThat(hostA.path("status").asString()).isEqualTo("UP");
        assertThat(hostA.at("/details/cpuFreeMhz").isNumber()).isTrue();
        assertThat(hostA.at("/details/memoryFreeMb").isNumber()).isTrue();
        assertThat(hostA.at("/details/guests").isNumber()).isTrue();
        assertThat(hostA.at("/details/maintenance").asBoolean()).isFalse();
        assertThat(health.at("/components/storageNodes/status").asString()).isEqualTo("UP");
        JsonNode fakeA = health.at("/components/storageNodes/components/fake-a");
        assertThat(fakeA.path("status").asString()).isEqualTo("UP");
        assertThat(fakeA.at("/details/capacityBytes").asLong()).isEqualTo(TestApiApplication.NODE_CAPACITY);
        assertThat(fakeA.at("/details/freeBytes").isNumber()).isTrue();

        maintenance("host-a", true);
        health = json(admin.get("/actuator/health"));
        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/hosts/components/host-a/status").asString()).isEqualTo("MAINTENANCE");
        assertThat(health.at("/components/hosts/status").asString()).isEqualTo("UP");
        // without credentials: the status alone
        JsonNode open = json(anonymous.get("/actuator/health"));
        assertThat(open.path("status").asString()).isEqualTo("UP");
        assertThat(open.has("components")).isFalse();
    }

    @Test
    void onlyAdminsReachTheseEndpointsAndBadRequestsAreTyped() {
        for (ApiClient client : new ApiClient[] {api, anonymous}) {
            assertError(client.get("/actuator/hosts"), 401, "auth");
            assertError(client.get("/actuator/hosts/host-a"), 401, "auth");
            assertError(client.post("/actuator/hosts/host-a", "{\"maintenance\":true}", "Content-Type", JSON), 401,
                    "auth");
            assertError(client.get("/actuator/storagenodes"), 401, "auth");
            assertError(client.get("/actuator/prometheus"), 401, "auth");
        }
        assertThat(json(admin.get("/actuator/hosts"))).noneMatch(h -> h.path("maintenance").asBoolean());
        assertThat(json(admin.get("/actuator/storagenodes"))).isNotEmpty();
        assertError(admin.post("/actuator/hosts/host-a", "{}", "Content-Type", JSON), 400, "usage");
        assertError(admin.post("/actuator/hosts/host-a", "{\"maintenance\":\"perhaps\"}", "Content-Type", JSON),
                400, "usage");
        assertError(admin.post("/actuator/hosts/host-z", "{\"maintenance\":true}", "Content-Type", JSON), 404,
                "missing");
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(ApiClient.text(response)).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    private static JsonNode byNode(JsonNode list, String node) {
        return StreamSupport.stream(list.spliterator(), false).filter(n -> node.equals(n.path("node").asString()))
                .findFirst().orElseThrow(() -> new AssertionError(node + " is not in " + list));
    }
}
