package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.agent.hypervisor.FakeHypervisor;
import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.ApiTestBase;
import io.elasticcloud.protocol.agent.GuestInfo;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;

/** Servers on the two fake hosts; every test leaves no server of its customers behind. */
public abstract class ServerTestBase extends ApiTestBase {
    @Autowired
    @Qualifier("hostA")
    protected FakeHypervisor hostA;
    @Autowired
    @Qualifier("hostB")
    protected FakeHypervisor hostB;

    @AfterEach
    protected void destroyServers() {
        for (ApiClient client : new ApiClient[] {api, other}) {
            for (String line : ApiClient.text(client.get("/servers/list")).split("\n")) {
                if (!line.isBlank()) {
                    client.post("/servers/" + line.split(" ")[0] + "/destroy", "");
                }
            }
        }
    }

    protected String drive(String name) {
        HttpResponse<byte[]> created = api.post("/drives/create", "name " + name + "\nsize 1M\n");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        return properties(created).get("drive");
    }

    protected Map<String, String> create(String path, String body) {
        HttpResponse<byte[]> created = api.post(path, body);
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        return properties(created);
    }

    protected Map<String, String> info(String server) {
        HttpResponse<byte[]> info = api.get("/servers/" + server + "/info");
        assertThat(info.statusCode()).as(ApiClient.text(info)).isEqualTo(200);
        return properties(info);
    }

    /** The host that runs {@code server}, or null. */
    protected FakeHypervisor hostOf(String server) {
        for (FakeHypervisor host : new FakeHypervisor[] {hostA, hostB}) {
            if (host.list().stream().map(GuestInfo::server).anyMatch(server::equals)) {
                return host;
            }
        }
        return null;
    }

    protected static void eventually(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
