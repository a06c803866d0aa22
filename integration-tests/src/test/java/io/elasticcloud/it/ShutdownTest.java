package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * "Shutdown loses nothing": the system stopped as an operator stops it (SIGTERM) while drive
 * counters are still in memory and while an imaging job copies (another queued behind it) comes
 * back with the counters written and both jobs run to the end, in their order, with the right
 * bytes. The counters are flushed once an hour here, so that every count is pending at the stop.
 */
class ShutdownTest {
    private static final int MIB = 1024 * 1024;
    private static final long SOURCE_SIZE = 1024L * MIB;

    private static RunningSystem system;

    @BeforeAll
    static void startSystem() {
        system = RunningSystem.start("shutdown", "--elastic.counters.flush-interval=1h");
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void sigtermKeepsPendingCountersAndResumesImaging() {
        Customer customer = system.createCustomer();
        String auth = PlainHttp.basic(customer);
        PlainHttp http = system.http();

        String counted = create(http, auth, "counted", "4M");
        byte[] written = TestBytes.random(11, MIB);
        http.writeDrive(counted, auth, written);
        assertThat(http.get("/drives/" + counted + "/read/0/1M", auth).body()).isEqualTo(written);
        Map<String, String> countedBefore = info(http, auth, counted);
        assertThat(countedBefore).containsEntry("write:requests", "1").containsEntry("read:requests", "1");

        // a large source, marked at both ends, and a small one imaged after it into the same target
        String source = create(http, auth, "source", "1G");
        byte[] head = TestBytes.random(12, MIB);
        byte[] tail = TestBytes.random(13, MIB);
        http.writeDrive(source, auth, head);
        write(http, auth, source, SOURCE_SIZE - MIB, tail);
        String small = create(http, auth, "small", "4M");
        byte[] smallBytes = TestBytes.random(14, 4 * MIB);
        http.writeDrive(small, auth, smallBytes);
        String target = create(http, auth, "target", "1G");

        assertThat(http.post("/drives/" + target + "/image/" + source, auth, "").status()).isEqualTo(204);
        assertThat(http.post("/drives/" + target + "/image/" + small, auth, "").status()).isEqualTo(204);
        assertThat(info(http, auth, target)).containsEntry("claimed", "imaging:" + target);
        String[] seen = new String[1];
        Wait.until("the first imaging job copies", Duration.ofSeconds(60), () -> {
            seen[0] = info(http, auth, target).get("imaging");
            return seen[0] != null && seen[0].endsWith("%");
        }, () -> "imaging: " + seen[0]);

        system.stop();
        String stopLog = system.log();
        assertThat(stopLog).as("the log of the stop").doesNotContain("Database is already closed")
                .doesNotContain("into " + target + " failed");
        system.restart();

        assertThat(info(http, auth, counted))
                .containsEntry("write:requests", "1").containsEntry("write:bytes", Long.toString(MIB))
                .containsEntry("read:requests", "1").containsEntry("read:bytes", Long.toString(MIB));
        AtomicReference<Map<String, String>> last = new AtomicReference<>();
        Wait.until("both imaging jobs end after the restart", Duration.ofSeconds(240), () -> {
            last.set(info(http, auth, target));
            return !last.get().containsKey("imaging");
        }, () -> "target: " + last.get() + "\n" + system.logTail(40));
        assertThat(last.get()).doesNotContainKey("imaging:error").doesNotContainKey("claimed");
        // the small source's bytes at the start (it ran second), the large one's tail at the end
        assertThat(read(http, auth, target, 0, 4 * MIB)).isEqualTo(smallBytes);
        assertThat(read(http, auth, target, SOURCE_SIZE - MIB, MIB)).isEqualTo(tail);
        assertThat(read(http, auth, target, 4L * MIB, MIB)).isEqualTo(new byte[MIB]);
    }

    private static String create(PlainHttp http, String auth, String name, String size) {
        PlainHttp.Reply created = http.post("/drives/create", auth, "name " + name + "\nsize " + size + "\n");
        assertThat(created.status()).as(created.describe()).isEqualTo(200);
        return PlainHttp.parseObject(created.text()).get("drive");
    }

    private static Map<String, String> info(PlainHttp http, String auth, String drive) {
        PlainHttp.Reply info = http.get("/drives/" + drive + "/info", auth);
        assertThat(info.status()).as(info.describe()).isEqualTo(200);
        return PlainHttp.parseObject(info.text());
    }

    private static void write(PlainHttp http, String auth, String drive, long offset, byte[] bytes) {
        PlainHttp.Reply w = http.post("/drives/" + drive + "/write/" + offset, auth, bytes,
                "Content-Type", "application/octet-stream");
        assertThat(w.status()).as(w.describe()).isEqualTo(204);
    }

    private static byte[] read(PlainHttp http, String auth, String drive, long offset, int size) {
        PlainHttp.Reply r = http.get("/drives/" + drive + "/read/" + offset + "/" + size, auth);
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return Arrays.copyOf(r.body(), r.body().length);
    }
}
