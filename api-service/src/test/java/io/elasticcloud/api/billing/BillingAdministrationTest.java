package io.elasticcloud.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admins credit, debit and subscribe through {@code /actuator/billing}, every change in the audit
 * log; customers read their own billing through {@code /billing/info} and reach no admin call.
 */
class BillingAdministrationTest extends BillingTestBase {
    private static final JsonMapper JSON_MAPPER = JsonMapper.builder().build();

    @Test
    void anAdminCreditsDebitsAndSubscribesAndEveryChangeIsAudited() {
        HttpResponse<byte[]> credited = billing(user, "{\"action\":\"credit\",\"amount\":\"25.5\","
                + "\"description\":\"invoice 7\"}");
        assertThat(ApiClient.text(credited)).contains("\"kind\":\"credit\"", "\"amount\":\"25.50000000\"",
                "\"balance\":\"25.50000000\"", "\"currency\":\"EUR\"", "\"description\":\"invoice 7\"");
        assertThat(ApiClient.text(billing(user, "{\"action\":\"debit\",\"amount\":0.5}")))
                .contains("\"amount\":\"-0.50000000\"", "\"balance\":\"25.00000000\"");
        HttpResponse<byte[]> subscribed = billing(user, "{\"action\":\"subscribe\",\"cpu\":2000,\"mem\":\"1024\","
                + "\"disk\":10,\"ips\":1,\"start\":\"2030-01-01T00:00:00Z\",\"end\":\"2030-02-01T00:00:00Z\"}");
        assertThat(ApiClient.text(subscribed)).contains("\"cpu\":\"2000\"", "\"mem\":\"1024\"", "\"disk\":\"10\"",
                "\"ip\":\"1\"", "\"vlan\":\"0\"", "\"start\":\"2030-01-01T00:00:00Z\"");

        JsonNode account = JSON_MAPPER.readTree(admin.get("/actuator/billing/" + user).body());
        assertThat(account.get("balance").asString()).isEqualTo("25.00000000");
        assertThat(account.get("currency").asString()).isEqualTo("EUR");
        assertThat(account.get("subscriptions")).hasSize(1);
        assertThat(account.get("ledger")).hasSize(2);
        assertThat(account.get("ledger").get(1).get("kind").asString()).isEqualTo("debit");

        String trail = ApiClient.text(admin.get("/actuator/users/" + user));
        assertThat(trail).containsSubsequence("\"action\":\"create\"", "\"action\":\"billing-credit\"",
                "\"action\":\"billing-debit\"", "\"action\":\"billing-subscribe\"")
                .contains("\"detail\":\"25.50000000 EUR: invoice 7\"", "\"actor\":\"admin\"");
        // the other customer's billing is untouched
        assertThat(JSON_MAPPER.readTree(admin.get("/actuator/billing/" + otherUser).body()).get("balance").asString())
                .isEqualTo("0.00000000");
    }

    @Test
    void theCustomerReadsTheirOwnBillingInTextAndJson() {
        credit("12.34");
        billing(user, "{\"action\":\"subscribe\",\"disk\":5,\"end\":\"" + clock.instant().plusSeconds(3600) + "\"}");
        created(api.post("/drives/create", "name d\nsize 1M\n"));

        HttpResponse<byte[]> text = api.get("/billing/info");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("X-Elastic-Output")).hasValue("properties");
        String[] blocks = ApiClient.text(text).split("\n\n");
        assertThat(blocks).hasSize(3);
        assertThat(blocks[0]).startsWith("type balance\nuser " + user + "\nbilling on\nbalance 12.34000000\ncurrency EUR\n")
                .contains("held:disk 1048576\n", "held:cpu 0\n", "subscribed:disk 5368709120\n");
        assertThat(blocks[1]).startsWith("type subscription\n").contains("disk 5\n", "cpu 0\n");
        assertThat(blocks[2]).startsWith("type ledger\n").contains("kind credit\n", "amount 12.34000000\n");
        assertThat(ApiClient.text(api.post("/api/billing/info", ""))).isEqualTo(ApiClient.text(text));

        JsonNode json = JSON_MAPPER.readTree(api.get("/billing/info", "Accept", JSON).body());
        assertThat(json).hasSize(3);
        assertThat(json.get(0).get("balance").asString()).isEqualTo("12.34000000");
        assertThat(json.get(1).get("cpu").isNumber()).isTrue();
        assertThat(json.get(2).get("kind").asString()).isEqualTo("credit");

        // another customer sees only their own
        String theirs = ApiClient.text(other.get("/billing/info"));
        assertThat(theirs).contains("user " + otherUser + "\n", "balance 0.00000000\n").doesNotContain(user);
        assertError(api.post("/billing/info/x", ""), 404, "missing");
    }

    @Test
    void customersCannotReachTheAdminCallsNorTheAdminTheCustomerCall() {
        assertError(api.get("/actuator/billing"), 401, "auth");
        assertError(api.get("/actuator/billing/" + user), 401, "auth");
        assertError(api.post("/actuator/billing/" + user, "{\"action\":\"credit\",\"amount\":\"100\"}",
                "Content-Type", JSON), 401, "auth");
        assertError(anonymous.get("/actuator/billing/" + user), 401, "auth");
        assertError(admin.get("/billing/info"), 401, "auth");
        assertThat(ApiClient.text(api.get("/billing/info"))).contains("balance 0.00000000\n");

        String prices = ApiClient.text(admin.get("/actuator/billing"));
        assertThat(prices).contains("\"enabled\":true", "\"currency\":\"EUR\"", "\"drive-gb-month\":\"7200\"",
                "\"minimum-period\":\"PT24H\"", "\"metering-interval\":\"PT1H\"");
    }

    @Test
    void badChangesAreTypedAndChangeNothing() {
        for (String bad : new String[] {
                "{\"action\":\"credit\",\"amount\":\"ten\"}",
                "{\"action\":\"credit\",\"amount\":\"-1\"}",
                "{\"action\":\"credit\",\"amount\":\"0\"}",
                "{\"action\":\"credit\",\"amount\":\"0.000000001\"}",
                "{\"action\":\"credit\",\"amount\":\"1e20\"}",
                "{\"action\":\"credit\"}",
                "{\"action\":\"refund\",\"amount\":\"1\"}",
                "{\"action\":\"subscribe\",\"cpu\":1000}",
                "{\"action\":\"subscribe\",\"end\":\"2031-01-01T00:00:00Z\"}",
                "{\"action\":\"subscribe\",\"cpu\":-5,\"end\":\"2031-01-01T00:00:00Z\"}",
                "{\"action\":\"subscribe\",\"cpu\":1000,\"end\":\"next week\"}",
                "{\"action\":\"subscribe\",\"cpu\":1000,\"start\":\"2031-01-01T00:00:00Z\",\"end\":\"2030-01-01T00:00:00Z\"}"}) {
            assertError(billing(user, bad), 400, "usage");
        }
        assertError(billing("00000000-0000-0000-0000-000000000001", "{\"action\":\"credit\",\"amount\":\"1\"}"),
                404, "missing");
        assertError(admin.get("/actuator/billing/not-a-user"), 404, "missing");
        JsonNode account = JSON_MAPPER.readTree(admin.get("/actuator/billing/" + user).body());
        assertThat(account.get("balance").asString()).isEqualTo("0.00000000");
        assertThat(account.get("ledger")).isEmpty();
        assertThat(account.get("subscriptions")).isEmpty();
    }
}
