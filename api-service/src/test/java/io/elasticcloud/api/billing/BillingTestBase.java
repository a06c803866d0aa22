package io.elasticcloud.api.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.server.ServerTestBase;
import io.elasticcloud.api.support.ApiClient;
import java.net.http.HttpResponse;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** The API with billing on (billing-test.properties) and billing's own clock; servers are removed after each test (ServerTestBase). */
@TestPropertySource(locations = "classpath:billing-test.properties")
@Import(BillingTestClock.class)
abstract class BillingTestBase extends ServerTestBase {
    protected static final String JSON = "application/json";

    @Autowired
    @Qualifier(BillingConfiguration.CLOCK)
    protected MutableClock clock;

    protected HttpResponse<byte[]> billing(String user, String json) {
        return admin.post("/actuator/billing/" + user, json, "Content-Type", JSON);
    }

    protected void credit(String amount) {
        HttpResponse<byte[]> credited = billing(user, "{\"action\":\"credit\",\"amount\":\"" + amount + "\"}");
        assertThat(credited.statusCode()).as(ApiClient.text(credited)).isEqualTo(200);
    }

    /** A JSON request asking for a JSON reply. */
    protected HttpResponse<byte[]> postJson(String path, String json) {
        return api.post(path, json, "Content-Type", JSON, "Accept", JSON);
    }

    protected Map<String, String> created(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(ApiClient.text(response)).isEqualTo(200);
        return properties(response);
    }

    protected Map<String, String> info(String kind, String id) {
        HttpResponse<byte[]> info = api.get("/" + kind + "/" + id + "/info");
        assertThat(info.statusCode()).as(ApiClient.text(info)).isEqualTo(200);
        return properties(info);
    }
}
