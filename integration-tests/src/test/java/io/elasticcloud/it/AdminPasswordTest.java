package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's first start: without ELASTIC_ADMIN_PASSWORD the system generates an admin
 * password, prints it once, and keeps it across restarts; only that password opens the admin
 * endpoints.
 */
class AdminPasswordTest {

    private static final Pattern PRINTED = Pattern.compile("Generated admin password: (\\S+)");

    private static RunningSystem system;

    @BeforeAll
    static void startSystem() {
        system = RunningSystem.startWithGeneratedPassword("generated-password");
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void generatedPasswordIsPrintedOnceAndKept() {
        assertThat(count(PRINTED.matcher(system.log()))).as("lines printing a generated password").isEqualTo(1);
        String password = system.adminPassword();
        assertThat(password).hasSizeGreaterThanOrEqualTo(12);

        Customer before = system.createCustomer();

        PlainHttp.Reply wrong = system.http().post("/actuator/users", PlainHttp.basic("admin", password + "x"),
                (byte[]) null);
        assertThat(wrong.status()).as(wrong.describe()).isEqualTo(401);
        PlainHttp.Reply customerAsAdmin = system.http().post("/actuator/users", PlainHttp.basic(before),
                (byte[]) null);
        assertThat(customerAsAdmin.status()).as("a customer on an admin endpoint: " + customerAsAdmin.describe())
                .isIn(401, 403);

        system.stop();
        system.restart();

        assertThat(count(PRINTED.matcher(system.log()))).as("no new password on the second start").isEqualTo(1);
        assertThat(system.adminPassword()).isEqualTo(password);
        Customer after = system.createCustomer();
        assertThat(after.uuid()).isNotEqualTo(before.uuid());
        PlainHttp.Reply list = system.http().get("/drives/list", PlainHttp.basic(before));
        assertThat(list.status()).as("the first customer survives a restart: " + list.describe()).isEqualTo(200);
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
