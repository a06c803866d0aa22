package io.elasticcloud.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resource creates are checked by billing (section 5): one IP costs 0.1 an hour and one VLAN 0.2
 * (billing-test.properties), so the balance must pay 2.4 and 4.8 for the minimum 24 hours.
 */
class ResourceBillingTest extends BillingTestBase {

    @AfterEach
    void destroyResources() {
        for (String line : ApiClient.text(api.get("/resources/list")).split("\n")) {
            if (!line.isBlank()) {
                String[] r = line.split(" ");
                api.post("/resources/" + r[0] + "/" + r[1] + "/destroy", "");
            }
        }
    }

    @Test
    void aResourceCreateTheBalanceCannotPayForIs402AndTakesNothing() {
        HttpResponse<byte[]> ip = api.post("/resources/ip/create", "name a\n");
        assertError(ip, 402, "billing");
        assertThat(ApiClient.text(ip)).contains("(2.40000000 EUR needed)");
        HttpResponse<byte[]> vlan = postJson("/resources/vlan/create", "{\"name\":\"v\"}");
        assertError(vlan, 402, "billing");
        assertThat(ApiClient.text(vlan)).contains("(4.80000000 EUR needed)");
        assertThat(ApiClient.text(api.get("/resources/list"))).isEmpty();
        assertThat(ApiClient.text(admin.get("/actuator/ippools"))).contains("\"static\":0");

        credit("2.40");
        String address = created(api.post("/resources/ip/create", "name a\n")).get("resource");
        assertThat(ApiClient.text(api.get("/billing/info"))).contains("held:ip 1\n").contains("held:vlan 0\n");
        // a second one is not covered
        assertError(api.post("/resources/ip/create", ""), 402, "billing");
        assertError(api.post("/resources/vlan/create", ""), 402, "billing");
        assertThat(ApiClient.text(api.get("/resources/list"))).isEqualTo("ip " + address + "\n");
    }
}
