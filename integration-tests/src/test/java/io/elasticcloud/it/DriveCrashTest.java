package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Writes are durable when the 204 is sent": data written before a crash (SIGKILL of the whole
 * system, no shutdown hook runs) is read back identical after a restart on the same data
 * directory. Raw HTTP, so that the 204 itself is checked; both the /api/ stem and the root.
 */
class DriveCrashTest {

    private static final int MIB = 1024 * 1024;

    private static RunningSystem system;

    @BeforeAll
    static void startSystem() {
        system = RunningSystem.start("crash");
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void theSystemComesBackAfterKillMinusNineOnTheSameDataDirectory() {
        system.crash();
        assertThat(system.isRunning()).isFalse();
        system.restart(); // bounded wait for /actuator/health UP, or fails with the log's tail
        assertThat(system.isRunning()).isTrue();
        PlainHttp.Reply health = system.http().get("/actuator/health", null);
        assertThat(health.status()).as(health.describe()).isEqualTo(200);
        assertThat(health.text().replace(" ", "")).contains("\"status\":\"UP\"");
    }

    @Test
    void acknowledgedWritesSurviveKillMinusNine() {
        Customer customer = system.createCustomer();
        String auth = PlainHttp.basic(customer);
        PlainHttp http = system.http();

        PlainHttp.Reply created = http.post("/api/drives/create", auth, "name crash survivor\nsize 4M\n",
                "Content-Type", "text/plain", "Accept", "text/plain");
        assertThat(created.status()).as(created.describe()).isEqualTo(200);
        Map<String, String> info = PlainHttp.parseObject(created.text());
        String drive = info.get("drive");
        assertThat(drive).matches(RunningSystem.UUID);
        assertThat(info).containsEntry("size", Long.toString(4L * MIB));

        byte[] raw = TestBytes.random(1, MIB);
        PlainHttp.Reply w1 = http.post("/api/drives/" + drive + "/write", auth, raw,
                "Content-Type", "application/octet-stream");
        assertThat(w1.status()).as(w1.describe()).isEqualTo(204);

        byte[] compressible = TestBytes.patterned(512 * 1024);
        PlainHttp.Reply w2 = http.post("/drives/" + drive + "/write/" + (2 * MIB), auth,
                TestBytes.gzip(compressible),
                "Content-Type", "application/octet-stream", "Content-Encoding", "gzip");
        assertThat(w2.status()).as(w2.describe()).isEqualTo(204);

        system.crash();
        assertThat(system.isRunning()).isFalse();
        system.restart();

        PlainHttp.Reply after = http.get("/drives/" + drive + "/info", auth);
        assertThat(after.status()).as(after.describe()).isEqualTo(200);
        assertThat(PlainHttp.parseObject(after.text()))
                .containsEntry("name", "crash survivor")
                .containsEntry("size", Long.toString(4L * MIB));

        PlainHttp.Reply r1 = http.get("/drives/" + drive + "/read/0/1M", auth);
        assertThat(r1.status()).as(r1.describe()).isEqualTo(200);
        assertThat(r1.body()).isEqualTo(raw);

        PlainHttp.Reply r2 = http.get("/api/drives/" + drive + "/read/" + (2 * MIB) + "/" + compressible.length,
                auth);
        assertThat(r2.status()).as(r2.describe()).isEqualTo(200);
        assertThat(r2.body()).isEqualTo(compressible);
    }
}
