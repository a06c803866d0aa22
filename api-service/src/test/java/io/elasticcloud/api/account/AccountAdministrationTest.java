package io.elasticcloud.api.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.ApiTestBase;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Admins list, disable, enable customers and rotate their keys; every change is audited. */
class AccountAdministrationTest extends ApiTestBase {
    private static final String JSON = "application/json";

    private HttpResponse<byte[]> change(String action) {
        return admin.post("/actuator/users/" + user, "{\"action\":\"" + action + "\"}", "Content-Type", JSON);
    }

    @Test
    void aDisabledAccountIsRefusedUntilEnabledAgain() {
        assertThat(api.get("/drives/list").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> disabled = change("disable");
        assertThat(ApiClient.text(disabled)).contains("\"status\":\"disabled\"");
        assertError(api.get("/drives/list"), 401, "auth");
        assertThat(ApiClient.text(change("enable"))).contains("\"status\":\"enabled\"");
        assertThat(api.get("/drives/list").statusCode()).isEqualTo(200);
    }

    @Test
    void aRotatedKeyIsRefusedAtOnceAndTheNewOneWorks() {
        String reply = ApiClient.text(change("rotate-key"));
        String key = reply.substring(reply.indexOf("\"key\":\"") + 7, reply.lastIndexOf('"'));
        assertError(api.get("/drives/list"), 401, "auth");
        assertThat(api.as(user, key).get("/drives/list").statusCode()).isEqualTo(200);
    }

    @Test
    void everyChangeIsInTheAuditLogInOrder() {
        change("disable");
        change("enable");
        change("rotate-key");
        String trail = ApiClient.text(admin.get("/actuator/users/" + user));
        assertThat(trail).containsSubsequence("\"action\":\"create\"", "\"action\":\"disable\"",
                "\"action\":\"enable\"", "\"action\":\"rotate-key\"").contains("\"actor\":\"admin\"");
        assertThat(ApiClient.text(admin.get("/actuator/audit"))).contains(user);
        assertThat(ApiClient.text(admin.get("/actuator/users"))).contains(user).contains(otherUser);
    }

    @Test
    void aPostWithoutABodyOrWithJsonCreatesACustomer() {
        assertThat(admin.post("/actuator/users", "").statusCode()).isEqualTo(200);
        assertThat(admin.post("/actuator/users", "{}", "Content-Type", "application/json").statusCode()).isEqualTo(200);
        assertError(admin.post("/actuator/users", "x", "Content-Type", "text/plain"), 400, "usage");
    }

    @Test
    void customersCannotAdministerAndBadRequestsAreTyped() {
        assertError(admin.post("/actuator/users/" + user, "action=disable", "Content-Type", "text/plain"), 400, "usage");
        assertError(api.post("/actuator/users/" + user, "{\"action\":\"enable\"}", "Content-Type", JSON), 401, "auth");
        assertError(api.get("/actuator/audit"), 401, "auth");
        assertError(admin.post("/actuator/users/" + user, "{\"action\":\"delete\"}", "Content-Type", JSON), 400, "usage");
        assertError(admin.post("/actuator/users/00000000-0000-0000-0000-000000000001", "{\"action\":\"disable\"}",
                "Content-Type", JSON), 404, "missing");
    }
}
