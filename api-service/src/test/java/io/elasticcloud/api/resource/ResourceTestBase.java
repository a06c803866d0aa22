package io.elasticcloud.api.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.agent.hypervisor.FakeHypervisor;
import io.elasticcloud.api.server.ServerTestBase;
import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.protocol.agent.GuestSpec;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** Servers and resources of the test's customers; every test leaves neither behind. */
abstract class ResourceTestBase extends ServerTestBase {

    @AfterEach
    void destroyServersThenResources() {
        for (ApiClient client : new ApiClient[] {api, other}) {
            for (String line : ApiClient.text(client.get("/servers/list")).split("\n")) {
                if (!line.isBlank()) {
                    client.post("/servers/" + line.split(" ")[0] + "/destroy", "");
                }
            }
            for (String line : ApiClient.text(client.get("/resources/list")).split("\n")) {
                if (!line.isBlank()) {
                    String[] r = line.split(" ");
                    HttpResponse<byte[]> destroyed = client.post("/resources/" + r[0] + "/" + r[1] + "/destroy", "");
                    assertThat(destroyed.statusCode()).as(ApiClient.text(destroyed)).isEqualTo(204);
                }
            }
        }
    }

    protected Map<String, String> createResource(ApiClient client, String type, String body) {
        HttpResponse<byte[]> created = client.post("/resources/" + type + "/create", body);
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        return properties(created);
    }

    protected String ip() {
        return createResource(api, "ip", "").get("resource");
    }

    protected String vlan() {
        return createResource(api, "vlan", "").get("resource");
    }

    /** The spec the server's guest was started with on its (fake) host. */
    protected GuestSpec spec(String server) {
        FakeHypervisor host = hostOf(server);
        assertThat(host).as("server %s runs on a host", server).isNotNull();
        return host.spec(server).orElseThrow();
    }

    /** The admin's view of one pool: how many addresses are static, temporary, free. */
    protected String pool(String name) {
        HttpResponse<byte[]> pool = admin.get("/actuator/ippools/" + name);
        assertThat(pool.statusCode()).as(ApiClient.text(pool)).isEqualTo(200);
        return ApiClient.text(pool);
    }
}
