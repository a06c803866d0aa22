package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's view of the packaged system: health with the database, the bus, its node agent
 * and storage node; the hosts and storage nodes it lists; host maintenance kept across a restart.
 * The node agent runs on libvirt's own test driver ({@code test:///default}, in process), so this
 * needs no libvirtd and boots no guest; RealServerTest does that.
 */
class OperationsTest {
    private static final String HOST = "it-host";
    private static final String JSON = "application/json";

    private static RunningSystem system;
    private static PlainHttp http;
    private static String admin;
    private static String customer;

    @BeforeAll
    static void startSystem() {
        system = RunningSystem.start("operations", "--elastic.agent.libvirt-uri=test:///default",
                "--elastic.agent.node=" + HOST);
        http = system.http();
        admin = system.adminAuthorization();
        customer = PlainHttp.basic(system.createCustomer());
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void healthEndpointsMetricsAndMaintenanceAcrossARestart() {
        awaitNodesUp();
        JsonObject health = json(http.get("/actuator/health", admin));
        assertThat(status(health)).isEqualTo("UP");
        assertThat(status(component(health, "db"))).isEqualTo("UP");
        assertThat(status(component(health, "bus"))).isEqualTo("UP");
        assertThat(component(health, "hosts", HOST).getAsJsonObject("details").get("cpuCapacityMhz").getAsLong())
                .isPositive();
        assertThat(status(component(health, "storageNodes", "pool-0"))).isEqualTo("UP");
        JsonObject open = json(http.get("/actuator/health", null));
        assertThat(status(open)).isEqualTo("UP");
        assertThat(open.has("components")).as("details for admins only").isFalse();

        JsonObject host = byNode(jsonArray(http.get("/actuator/hosts", admin)), HOST);
        assertThat(host.get("reachable").getAsBoolean()).isTrue();
        assertThat(host.get("memoryCapacityMb").getAsLong()).isPositive();
        assertThat(host.get("maintenance").getAsBoolean()).isFalse();
        JsonObject pool = byNode(jsonArray(http.get("/actuator/storagenodes", admin)), "pool-0");
        assertThat(pool.get("capacityBytes").getAsLong()).isPositive();
        assertThat(http.get("/actuator/hosts", customer).status()).isEqualTo(401);

        assertThat(http.post("/actuator/hosts/" + HOST, admin, "{\"maintenance\":true}", "Content-Type", JSON).status())
                .isEqualTo(200);
        PlainHttp.Reply refused = http.post("/servers/create", customer, "name nowhere\ncpu 500\nmem 128\n");
        assertThat(refused.status()).as(refused.describe()).isEqualTo(507);
        assertThat(refused.header("X-Elastic-Error")).hasValue("full");

        system.stop();
        system.restart();
        // kept in the database: in maintenance before the host has even reported again
        assertThat(byNode(jsonArray(http.get("/actuator/hosts", admin)), HOST).get("maintenance").getAsBoolean())
                .isTrue();
        awaitNodesUp();
        assertThat(status(component(json(http.get("/actuator/health", admin)), "hosts", HOST)))
                .isEqualTo("MAINTENANCE");
        assertThat(http.post("/servers/create", customer, "name nowhere\ncpu 500\nmem 128\n").status()).isEqualTo(507);

        assertThat(http.post("/actuator/hosts/" + HOST, admin, "{\"maintenance\":false}", "Content-Type", JSON)
                .status()).isEqualTo(200);
        PlainHttp.Reply created = http.post("/servers/create", customer, "name placed\ncpu 500\nmem 128\n");
        assertThat(created.status()).as(created.describe()).isEqualTo(200);
        String server = PlainHttp.parseObject(created.text()).get("server");
        assertThat(PlainHttp.parseObject(http.get("/servers/" + server + "/info", customer).text()))
                .containsEntry("status", "active");

        String scrape = http.get("/actuator/prometheus", admin).text();
        assertThat(scrape).containsPattern("elastic_hosts_cpu_used_megahertz\\{node=\"" + HOST + "\"} 500")
                .containsPattern("elastic_hosts_memory_free_megabytes\\{node=\"" + HOST + "\"} [1-9]")
                .containsPattern("elastic_servers\\{status=\"active\"} 1")
                .containsPattern("elastic_storage_free_bytes\\{hardware=\"[^\"]+\",node=\"pool-0\"} [1-9]")
                .containsPattern("(?m)^elastic_api_requests_seconds_count\\{command=\"/servers/create\"")
                .containsPattern("(?m)^http_server_requests_seconds_count\\{");
        // meters every request paid for and no one reads (application.yml): off
        assertThat(scrape).doesNotContain("spring_security_").doesNotContain("spring_data_repository_");
        assertThat(http.get("/actuator/audit", admin).text().replace(" ", ""))
                .containsSubsequence("\"action\":\"maintenance-on\",\"host\":\"" + HOST + "\"",
                        "\"action\":\"maintenance-off\",\"host\":\"" + HOST + "\"");
        assertThat(http.post("/servers/" + server + "/destroy", customer, "").status()).isEqualTo(204);
    }

    private static void awaitNodesUp() {
        await("the node agent and the storage node report", () -> {
            JsonObject health = json(http.get("/actuator/health", admin));
            JsonObject host = component(health, "hosts", HOST);
            JsonObject pool = component(health, "storageNodes", "pool-0");
            return host != null && !"UNREACHABLE".equals(status(host)) && pool != null && "UP".equals(status(pool));
        });
    }

    private static JsonObject component(JsonObject health, String... path) {
        JsonObject at = health;
        for (String name : path) {
            JsonObject components = at.getAsJsonObject("components");
            if (components == null || !components.has(name)) {
                return null;
            }
            at = components.getAsJsonObject(name);
        }
        return at;
    }

    private static String status(JsonObject component) {
        return component.get("status").getAsString();
    }

    private static JsonObject byNode(JsonArray list, String node) {
        for (JsonElement e : list) {
            if (node.equals(e.getAsJsonObject().get("node").getAsString())) {
                return e.getAsJsonObject();
            }
        }
        throw new AssertionError(node + " is not in " + list);
    }

    private static JsonObject json(PlainHttp.Reply reply) {
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        return JsonParser.parseString(reply.text()).getAsJsonObject();
    }

    private static JsonArray jsonArray(PlainHttp.Reply reply) {
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        return JsonParser.parseString(reply.text()).getAsJsonArray();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what + "; last lines of the log:\n" + system.logTail(40));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
