package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two storage boxes as two storage hosts of the packaged system ({@code deploy/storage-box},
 * 169.254.77.31 and .32), one {@code lvm} pool in each: {@code avoid} puts drives on different
 * hosts, what fits nowhere is {@code 507 full}, and a box restarted under the running system comes
 * back with its volumes, read and written through the API again without anything being restarted.
 */
class LvmTwoBoxesTest {
    private static final Path WORK = Path.of("target", "lvm-two-boxes").toAbsolutePath();
    private static final List<String> ADDRESSES = List.of("169.254.77.31", "169.254.77.32");
    private static RunningSystem system;
    private static PlainHttp http;
    private static String auth;

    @BeforeAll
    static void startSystem() {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < ADDRESSES.size(); i++) {
            StorageBoxes.start("two-" + i, box(i), ADDRESSES.get(i));
            args.addAll(List.of(StorageBoxes.pool(i, "box-" + i, box(i), ADDRESSES.get(i))));
        }
        system = RunningSystem.start("lvm-two-boxes", args.toArray(String[]::new));
        http = system.http();
        auth = PlainHttp.basic(system.createCustomer());
    }

    private static Path box(int i) {
        return WORK.resolve("box-" + i);
    }

    @AfterAll
    static void stopSystem() throws IOException {
        try {
            if (system != null) {
                system.close();
            }
        } finally {
            for (int i = 0; i < ADDRESSES.size(); i++) {
                StorageBoxes.stop(box(i));
            }
            if (Files.exists(WORK)) {
                try (Stream<Path> files = Files.walk(WORK)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void avoidPutsDrivesOnTheOtherHostAndWhatFitsNowhereIsFull() {
        String first = create("name first\nsize 1G\n");
        String second = create("name second\nsize 1G\navoid " + first + "\n");
        // the listing is as of the nodes' last heartbeats (every 5 s); the other test's drive is 16M
        Wait.until("each box holds one of the two drives", Duration.ofSeconds(30), () -> {
            Map<String, Long> used = used();
            return Stream.of("box-0", "box-1").allMatch(node -> used.get(node) >= 1L << 30 && used.get(node) < 2L << 30);
        }, () -> used().toString());
        PlainHttp.Reply third = http.post("/drives/create", auth, "name third\nsize 1M\navoid " + first + " " + second + "\n");
        assertThat(third.status()).as(third.describe()).isEqualTo(507);
        assertThat(third.header("X-Elastic-Error")).contains("full");
        PlainHttp.Reply huge = http.post("/drives/create", auth, "name huge\nsize 100G\n");
        assertThat(huge.status()).as(huge.describe()).isEqualTo(507);
        assertThat(huge.header("X-Elastic-Error")).contains("full");
        for (String drive : List.of(first, second)) {
            assertThat(http.post("/drives/" + drive + "/destroy", auth, "").status()).isEqualTo(204);
        }
    }

    @Test
    void aBoxRestartedUnderTheSystemComesBackWithItsVolumes() {
        byte[] data = new byte[4 << 20]; // one read: at most 4 MiB
        new Random(31).nextBytes(data);
        String drive = create("name kept\nsize 16M\n");
        http.writeDrive(drive, auth, data);
        for (int i = 0; i < ADDRESSES.size(); i++) {
            StorageBoxes.stop(box(i));
            StorageBoxes.start("two-" + i, box(i), ADDRESSES.get(i));
        }
        PlainHttp.Reply[] last = new PlainHttp.Reply[1];
        Wait.until("the drive reads back through the API after its box restarted", Duration.ofSeconds(90),
                () -> {
                    last[0] = http.get("/drives/" + drive + "/read/0/" + data.length, auth);
                    return last[0].status() == 200 && java.util.Arrays.equals(last[0].body(), data);
                }, () -> last[0].describe() + " first differing byte at "
                        + java.util.Arrays.mismatch(last[0].body(), data) + "\n" + system.logTail(40));
        byte[] more = new byte[1 << 20];
        new Random(32).nextBytes(more);
        http.writeDrive(drive, auth, more);
        assertThat(http.get("/drives/" + drive + "/read/0/" + more.length, auth).body()).isEqualTo(more);
        assertThat(http.post("/drives/" + drive + "/destroy", auth, "").status()).isEqualTo(204);
    }

    private static String create(String body) {
        PlainHttp.Reply r = http.post("/drives/create", auth, body);
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return PlainHttp.parseObject(r.text()).get("drive");
    }

    /** Each node's used bytes, as the admin's storage node listing shows them. */
    private static Map<String, Long> used() {
        PlainHttp.Reply reply = http.get("/actuator/storagenodes", system.adminAuthorization());
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        JsonArray nodes = JsonParser.parseString(reply.text()).getAsJsonArray();
        Map<String, Long> used = new HashMap<>();
        for (JsonElement node : nodes) {
            used.put(node.getAsJsonObject().get("node").getAsString(), node.getAsJsonObject().get("usedBytes").getAsLong());
        }
        return used;
    }
}
