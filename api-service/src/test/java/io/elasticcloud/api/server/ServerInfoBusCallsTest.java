package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.CountingTransport;
import io.elasticcloud.api.support.StatementCounter;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code GET /servers/info} asks each host once, however many of the customer's servers it runs,
 * and still shows every running server's counters from its host.
 */
class ServerInfoBusCallsTest extends ServerTestBase {
    @Autowired
    private CountingTransport bus;
    @Autowired
    private StatementCounter statements;

    private final List<String> servers = new ArrayList<>();

    @AfterEach
    void hostBackInService() {
        assertThat(maintenance("host-b", false).statusCode()).isEqualTo(200);
    }

    @Test
    void oneCallToTheHostForThreeServersAndForThirty() {
        // every server on host-a: host-b takes none while in maintenance
        assertThat(maintenance("host-b", true).statusCode()).isEqualTo(200);
        grow(3);
        assertThat(callsOfInfo()).as("bus calls of /servers/info with 3 servers on one host").hasSize(1);
        grow(30);
        assertThat(callsOfInfo()).as("bus calls of /servers/info with 30 servers on one host").hasSize(1);
    }

    private void grow(int n) {
        while (servers.size() < n) {
            servers.add(create("/servers/create", "name s" + servers.size() + "\ncpu 100\nmem 16\nnic:0:dhcp auto\n")
                    .get("server"));
        }
        assertThat(servers).allSatisfy(s -> assertThat(hostOf(s)).isSameAs(hostA));
    }

    /** The bus calls of one {@code GET /servers/info}, having checked that it shows each server's counters. */
    private List<CountingTransport.Sent> callsOfInfo() {
        String token = UUID.randomUUID().toString();
        HttpResponse<byte[]> reply = api.get("/servers/info", StatementCounter.HEADER, token);
        assertThat(reply.statusCode()).as(ApiClient.text(reply)).isEqualTo(200);
        statements.statements(token);
        List<CountingTransport.Sent> sent = bus.sentBy(token);
        List<Map<String, String>> infos = new ArrayList<>();
        for (String object : ApiClient.text(reply).split("\n\n")) {
            infos.add(properties(object));
        }
        assertThat(infos).hasSameSizeAs(servers).allSatisfy(info -> assertThat(info)
                .containsEntry("status", "active").containsKeys("nic:0:rx", "nic:0:tx:packets"));
        return sent;
    }

    private HttpResponse<byte[]> maintenance(String host, boolean on) {
        return admin.post("/actuator/hosts/" + host, "{\"maintenance\":" + on + "}", "Content-Type", "application/json");
    }
}
