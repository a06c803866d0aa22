package io.elasticcloud.api.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.ApiTestBase;
import io.elasticcloud.api.support.StatementCounter;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin listings that grow with the cloud (customers, the audit log, hosts, storage nodes, a
 * pool's addresses) answer a page at a time: {@code ?offset=&limit=},
 * consecutive pages make up the listing in its order, and no page is larger than the maximum.
 */
class AdminPagesTest extends ApiTestBase {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Autowired
    private StatementCounter statements;

    @Test
    void usersAndTheAuditLogArePagedInTheirOrder() {
        // this test's two customers are the newest; a third makes every page below full
        admin.post("/actuator/users", "", "Content-Type", "application/json");
        for (String listing : List.of("/actuator/users", "/actuator/audit")) {
            String key = listing.endsWith("users") ? "user" : "id";
            List<String> firstThree = values(listing + "?limit=3", key);
            assertThat(firstThree).as(listing).hasSize(3).doesNotHaveDuplicates();
            assertThat(values(listing + "?offset=0&limit=1", key)).as(listing).containsExactly(firstThree.get(0));
            assertThat(values(listing + "?offset=1&limit=2", key)).as(listing)
                    .containsExactlyElementsOf(firstThree.subList(1, 3));
            assertThat(values(listing + "?offset=1000000000", key)).as(listing).isEmpty();
        }
        assertThat(values("/actuator/users", "user")).hasSizeLessThanOrEqualTo(AdminPage.DEFAULT_LIMIT)
                .contains(user, otherUser);
    }

    /** A page of hosts is read in as many statements as one host: what servers use is summed for all at once. */
    @Test
    void aPageOfHostsTakesNoStatementPerHost() {
        assertThat(statementsOf("/actuator/hosts?limit=2")).hasSameSizeAs(statementsOf("/actuator/hosts?limit=1"));
    }

    @Test
    void hostsAndStorageNodesArePagedByName() {
        assertThat(values("/actuator/hosts?limit=1", "node")).containsExactly("host-a");
        assertThat(values("/actuator/hosts?offset=1&limit=5", "node")).containsExactly("host-b");
        assertThat(values("/actuator/storagenodes?offset=1", "node")).containsExactly("fake-b");
        assertThat(values("/actuator/storagenodes?limit=1", "node")).containsExactly("fake-a");
    }

    @Test
    void aPoolsAddressesArePaged() {
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> created = api.post("/resources/ip/create", "name paged" + i + "\n");
            assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
            ips.add(properties(created).get("resource"));
        }
        try {
            List<String> firstTwo = addresses("?limit=2");
            assertThat(firstTwo).hasSize(2);
            assertThat(addresses("?offset=1&limit=1")).containsExactly(firstTwo.get(1));
            assertThat(addresses("")).contains(ips.toArray(String[]::new));
        } finally {
            ips.forEach(ip -> api.post("/resources/ip/" + ip + "/destroy", ""));
        }
    }

    @Test
    void aPageOutOfRangeIsAUsageError() {
        for (String listing : List.of("/actuator/users", "/actuator/audit", "/actuator/hosts", "/actuator/storagenodes",
                "/actuator/ippools/test")) {
            assertThat(admin.get(listing + "?limit=" + AdminPage.MAX_LIMIT).statusCode()).as(listing).isEqualTo(200);
            for (String wrong : List.of("limit=0", "limit=" + (AdminPage.MAX_LIMIT + 1), "offset=-1", "limit=ten",
                    "offset=" + Long.MAX_VALUE)) {
                assertError(admin.get(listing + "?" + wrong), 400, "usage");
            }
        }
    }

    private List<String> statementsOf(String path) {
        String token = UUID.randomUUID().toString();
        HttpResponse<byte[]> reply = admin.get(path, StatementCounter.HEADER, token);
        assertThat(reply.statusCode()).as(path + ": " + ApiClient.text(reply)).isEqualTo(200);
        return statements.statements(token);
    }

    /** The addresses {@code /actuator/ippools/test} shows with {@code query}, in order. */
    private List<String> addresses(String query) {
        HttpResponse<byte[]> reply = admin.get("/actuator/ippools/test" + query);
        assertThat(reply.statusCode()).as(ApiClient.text(reply)).isEqualTo(200);
        List<String> addresses = new ArrayList<>();
        for (JsonNode held : MAPPER.readTree(reply.body()).path("addresses")) {
            addresses.add(held.path("address").asString());
        }
        return addresses;
    }

    /** The {@code key} of each entry of the JSON list at {@code path}, in order. */
    private List<String> values(String path, String key) {
        HttpResponse<byte[]> reply = admin.get(path);
        assertThat(reply.statusCode()).as(path + ": " + ApiClient.text(reply)).isEqualTo(200);
        List<String> values = new ArrayList<>();
        for (JsonNode entry : MAPPER.readTree(reply.body())) {
            values.add(entry.path(key).asString());
        }
        return values;
    }
}
