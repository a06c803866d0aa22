package io.elasticcloud.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The API service on a random port, with a fresh customer (and a second one, to check isolation)
 * before every test. Subclasses choose the database.
 *
 * <p>Every subclass that adds no configuration of its own runs in one Spring context, booted once
 * per run (Spring caches it by its configuration); {@code @TestPropertySource}, {@code @Import},
 * {@code @DynamicPropertySource} or a mock bean on a class gives it a context, and a boot, of its
 * own. PostgreSQL classes say {@link OnPostgres}, which shares their context the same way.
 */
@SpringBootTest(classes = TestApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTestBase {
    public static final String ADMIN_PASSWORD = "test-admin-password";

    @LocalServerPort
    protected int port;
    @Autowired
    protected TestStorageNodes storage;

    protected ApiClient anonymous;
    protected ApiClient admin;
    protected ApiClient api;
    protected ApiClient other;
    protected String user;
    protected String otherUser;

    @BeforeEach
    void customers() {
        storage.heartbeat();
        anonymous = new ApiClient("http://127.0.0.1:" + port, null, null);
        admin = anonymous.as("admin", ADMIN_PASSWORD);
        Map<String, String> first = newCustomer();
        user = first.get("user");
        api = anonymous.as(user, first.get("key"));
        Map<String, String> second = newCustomer();
        otherUser = second.get("user");
        other = anonymous.as(otherUser, second.get("key"));
    }

    private Map<String, String> newCustomer() {
        HttpResponse<byte[]> created = admin.post("/actuator/users", "", "Content-Type", "application/json");
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        String json = ApiClient.text(created);
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : new String[] {"user", "key"}) {
            int at = json.indexOf("\"" + key + "\":\"") + key.length() + 4;
            values.put(key, json.substring(at, json.indexOf('"', at)));
        }
        return values;
    }

    /** A text reply's {@code key value} lines. */
    protected static Map<String, String> properties(HttpResponse<byte[]> response) {
        return properties(new String(response.body(), StandardCharsets.UTF_8));
    }

    /** The {@code key value} lines of one object's text (of a listing, one of its blocks). */
    protected static Map<String, String> properties(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0) {
                values.put(line.substring(0, space), line.substring(space + 1));
            }
        }
        return values;
    }

    protected static void assertError(HttpResponse<byte[]> response, int status, String type) {
        assertThat(response.statusCode()).as(ApiClient.text(response)).isEqualTo(status);
        assertThat(response.headers().firstValue("X-Elastic-Error")).hasValue(type);
        String body = ApiClient.text(response);
        assertThat(body).endsWith("\n");
        assertThat(body.strip()).isNotEmpty().doesNotContain("\n").doesNotContain("Exception");
    }
}
