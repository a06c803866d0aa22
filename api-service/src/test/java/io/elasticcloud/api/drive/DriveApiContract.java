package io.elasticcloud.api.drive;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.ApiTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Section 2 of the API, call by call, in both formats; run against each database by a subclass.
 */
abstract class DriveApiContract extends ApiTestBase {

    private String create(String body) {
        HttpResponse<byte[]> created = api.post("/drives/create", body);
        assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(200);
        return properties(created).get("drive");
    }

    @Test
    void createsWithEveryKeyAndShowsItsInfo() {
        String reader = UUID.randomUUID().toString();
        HttpResponse<byte[]> created = api.post("/drives/create", "name My drive\nsize 1M\nclaim:type shared\n"
                + "readers " + reader.toUpperCase() + "\ntags a b\nuser:os debian 12\nencryption:cipher none\ntier disk\n");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("X-Elastic-Output")).hasValue("properties");
        Map<String, String> info = properties(created);
        assertThat(info).containsEntry("name", "My drive").containsEntry("size", "1048576")
                .containsEntry("claim:type", "shared").containsEntry("readers", reader).containsEntry("tags", "a b")
                .containsEntry("user:os", "debian 12").containsEntry("encryption:cipher", "none")
                .containsEntry("status", "active").containsEntry("user", user)
                .containsEntry("read:bytes", "0").containsEntry("write:requests", "0");
        String drive = info.get("drive");

        assertThat(properties(api.get("/drives/" + drive + "/info"))).isEqualTo(info);
        assertThat(properties(api.post("/api/drives/" + drive + "/info", ""))).isEqualTo(info);
        HttpResponse<byte[]> list = api.get("/drives/list");
        assertThat(list.headers().firstValue("X-Elastic-Output")).hasValue("list");
        assertThat(ApiClient.text(list)).isEqualTo(drive + "\n");
        assertThat(ApiClient.text(api.get("/drives/info"))).isEqualTo(ApiClient.text(api.get("/drives/" + drive + "/info")));
    }

    @Test
    void defaultsToExclusiveEncryptedDrives() {
        Map<String, String> info = properties(api.post("/drives/create", "name plain\nsize 4096\n"));
        assertThat(info).containsEntry("claim:type", "exclusive").containsEntry("encryption:cipher", "aes-xts-plain")
                .doesNotContainKeys("readers", "tags", "imaging", "claimed");
    }

    @Test
    void speaksJsonBothWays() {
        HttpResponse<byte[]> created = api.post("/drives/create",
                "{\"name\": \"json\", \"size\": 2048, \"tags\": [\"x\", \"y\"], \"user:k\": \"v\"}",
                "Content-Type", "application/json", "Accept", "application/json");
        assertThat(created.statusCode()).isEqualTo(200);
        String json = ApiClient.text(created);
        assertThat(json).startsWith("{").contains("\"size\":2048").contains("\"tags\":\"x y\"")
                .contains("\"read:bytes\":0").contains("\"user:k\":\"v\"");
        HttpResponse<byte[]> list = api.get("/drives/list", "Accept", "application/json");
        assertThat(ApiClient.text(list)).startsWith("[{\"drive\":\"");
        assertThat(ApiClient.text(api.get("/drives/info", "Accept", "application/json"))).startsWith("[{\"name\":\"json\"");
    }

    @Test
    void setChangesKeysGrowsAndTreatsSizeZeroAsUnchanged() {
        String drive = create("name before\nsize 4096\nuser:a 1\nuser:b 2\n");
        Map<String, String> info = properties(api.post("/drives/" + drive + "/set",
                "name after\nsize 0\ntags t\nuser:a\nuser:c 3\nclaim:type shared\n"));
        assertThat(info).containsEntry("name", "after").containsEntry("size", "4096").containsEntry("tags", "t")
                .containsEntry("claim:type", "shared").containsEntry("user:b", "2").containsEntry("user:c", "3")
                .doesNotContainKey("user:a");
        assertThat(properties(api.post("/drives/" + drive + "/set", "size 8k\n"))).containsEntry("size", "8192");
        assertError(api.post("/drives/" + drive + "/set", "size 4096\n"), 400, "usage");
        assertError(api.post("/drives/" + drive + "/set", "encryption:cipher none\n"), 400, "usage");
        // Echoing the whole info block back (as clients do) changes nothing it should not.
        String echoed = ApiClient.text(api.get("/drives/" + drive + "/info"));
        assertThat(properties(api.post("/drives/" + drive + "/set", echoed))).containsEntry("size", "8192");
    }

    @Test
    void writesAndReadsBackRawAndGzip() throws IOException {
        String drive = create("name data\nsize 64k\nencryption:cipher none\n");
        byte[] data = new byte[10_000];
        new Random(1).nextBytes(data);
        assertThat(api.post("/drives/" + drive + "/write/1000", data, "Content-Type", "application/octet-stream")
                .statusCode()).isEqualTo(204);
        HttpResponse<byte[]> read = api.get("/drives/" + drive + "/read/1000/10000");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(data);

        assertThat(api.post("/drives/" + drive + "/write/32k", gzip(data), "Content-Encoding", "gzip")
                .statusCode()).isEqualTo(204);
        assertThat(api.post("/drives/" + drive + "/read/32k/10000", "").body()).isEqualTo(data);
        // Reading past the end gives the bytes up to the end.
        assertThat(api.get("/drives/" + drive + "/read/65000/4M").body()).hasSize(536);
        Map<String, String> info = properties(api.get("/drives/" + drive + "/info"));
        assertThat(info).containsEntry("write:bytes", "20000").containsEntry("write:requests", "2")
                .containsEntry("read:requests", "3");
    }

    @Test
    void refusesWritesPastTheEndWritingNothing() throws IOException {
        String drive = create("name small\nsize 4096\n");
        byte[] ones = new byte[200];
        Arrays.fill(ones, (byte) 1);
        assertError(api.post("/drives/" + drive + "/write/4000", ones), 507, "full");
        assertError(api.post("/drives/" + drive + "/write/4000", gzip(ones), "Content-Encoding", "gzip"), 507, "full");
        assertThat(api.get("/drives/" + drive + "/read/3900/196").body()).containsOnly(0);
        assertError(api.get("/drives/" + drive + "/read/0/4194305"), 400, "usage");
        assertError(api.post("/drives/" + drive + "/write", "not gzip", "Content-Encoding", "gzip"), 400, "usage");
    }

    @Test
    void imagesFromAStandardDriveWithGunzip(@TempDir Path dir) throws Exception {
        byte[] image = new byte[100_000];
        new Random(2).nextBytes(image);
        Path file = dir.resolve("image.gz");
        Files.write(file, gzip(image));
        String standard = UUID.randomUUID().toString();
        HttpResponse<byte[]> imported = admin.post("/actuator/library", "{\"drive\":\"" + standard
                + "\",\"name\":\"Test Linux\",\"path\":\"" + file + "\",\"format\":\"gzip\",\"rawsize\":100000}",
                "Content-Type", "application/json");
        assertThat(imported.statusCode()).as(ApiClient.text(imported)).isEqualTo(200);
        assertThat(ApiClient.text(api.get("/drives/list/standard"))).contains(standard);
        assertThat(properties(api.get("/drives/" + standard + "/info"))).containsEntry("media", "disk")
                .containsEntry("format", "gzip").containsEntry("rawsize", "100000")
                .containsEntry("readers", "ffffffff-ffff-ffff-ffff-ffffffffffff").containsEntry("claim:type", "shared");
        assertThat(ApiClient.text(api.get("/drives/info/standard"))).contains("name Test Linux");
        assertThat(ApiClient.text(api.get("/drives/list"))).doesNotContain(standard);

        String drive = create("name target\nsize 200000\n");
        storage.hold();
        assertThat(api.post("/drives/" + drive + "/image/" + standard + "/gunzip", "").statusCode()).isEqualTo(204);
        assertThat(properties(api.get("/drives/" + drive + "/info"))).containsKey("imaging");
        assertError(api.post("/drives/" + drive + "/destroy", ""), 409, "busy");
        assertError(api.post("/drives/" + drive + "/write", new byte[1]), 409, "busy");
        storage.release();
        awaitImagingDone(drive);
        assertThat(api.get("/drives/" + drive + "/read/0/100000").body()).isEqualTo(image);

        String tooSmall = create("name too small\nsize 1000\n");
        assertThat(api.post("/drives/" + tooSmall + "/image/" + standard + "/gunzip", "").statusCode()).isEqualTo(204);
        awaitImagingDone(tooSmall);
        assertThat(properties(api.get("/drives/" + tooSmall + "/info"))).containsEntry("imaging:error", "full");
    }

    @Test
    void showsQueuedImagingBehindARunningOne() {
        String source = create("name source\nsize 4096\n");
        String target = create("name target\nsize 4096\n");
        storage.hold();
        api.post("/drives/" + target + "/image/" + source, "");
        api.post("/drives/" + target + "/image/" + source + "/gzip", "");
        assertThat(properties(api.get("/drives/" + target + "/info"))).containsEntry("imaging", "queued");
        // four unfinished at most on one drive: requests cannot grow the jobs without end
        assertThat(api.post("/drives/" + target + "/image/" + source, "").statusCode()).isEqualTo(204);
        assertThat(api.post("/drives/" + target + "/image/" + source, "").statusCode()).isEqualTo(204);
        assertError(api.post("/drives/" + target + "/image/" + source, ""), 409, "busy");
        Map<String, Map<String, String>> listed = listedInfos();
        assertThat(listed.get(target)).as("the listing shows the target's imaging as its own info does")
                .containsEntry("imaging", "queued").containsEntry("claimed", "imaging:" + target);
        assertThat(listed.get(source)).doesNotContainKeys("imaging", "claimed");
        assertError(api.post("/drives/" + source + "/destroy", ""), 409, "busy");
        storage.release();
        awaitImagingDone(target);
        assertThat(listedInfos().get(target)).doesNotContainKeys("imaging", "claimed");
    }

    /** {@code GET /drives/info}: each drive's keys by its id. */
    private Map<String, Map<String, String>> listedInfos() {
        HttpResponse<byte[]> reply = api.get("/drives/info");
        assertThat(reply.statusCode()).as(ApiClient.text(reply)).isEqualTo(200);
        Map<String, Map<String, String>> infos = new HashMap<>();
        for (String object : ApiClient.text(reply).split("\n\n")) {
            Map<String, String> keys = properties(object);
            infos.put(keys.get("drive"), keys);
        }
        return infos;
    }

    private void awaitImagingDone(String drive) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (properties(api.get("/drives/" + drive + "/info")).containsKey("imaging")) {
            assertThat(System.nanoTime()).as("imaging of " + drive + " ends within 10 s").isLessThan(deadline);
            sleep(20);
        }
    }

    @Test
    void destroysAndThenForgets() {
        String drive = create("name gone\nsize 4096\n");
        assertThat(api.post("/drives/" + drive + "/destroy", "").statusCode()).isEqualTo(204);
        assertError(api.get("/drives/" + drive + "/info"), 404, "missing");
        assertError(api.post("/drives/" + drive + "/destroy", ""), 404, "missing");
        assertThat(ApiClient.text(api.get("/drives/list"))).isEmpty();
    }

    @Test
    void keepsDrivesApartFromTheHardwareTheyAvoid() {
        String first = create("name first\nsize 4096\n");
        String second = create("name second\nsize 4096\navoid " + first + "\n");
        assertThat(second).isNotNull();
        assertError(api.post("/drives/create", "name third\nsize 4096\navoid " + first + " " + second + "\n"), 507, "full");
        // larger than every node (64 MiB), within the disk quota (1 TiB, else 402 billing first)
        assertError(api.post("/drives/create", "name huge\nsize 1G\n"), 507, "full");
    }

    @Test
    void hidesOtherUsersDrives() {
        String drive = create("name mine\nsize 4096\n");
        assertError(other.get("/drives/" + drive + "/info"), 404, "missing");
        assertError(other.post("/drives/" + drive + "/set", "name theirs\n"), 404, "missing");
        assertError(other.post("/drives/" + drive + "/destroy", ""), 404, "missing");
        assertError(other.get("/drives/" + drive + "/read/0/1"), 404, "missing");
        assertError(other.post("/drives/" + drive + "/write", new byte[1]), 404, "missing");
        assertThat(ApiClient.text(other.get("/drives/list"))).isEmpty();
    }

    @Test
    void letsListedReadersReadAndImageButNotChange() {
        String shared = create("name shared\nsize 4096\nreaders " + otherUser + "\n");
        api.post("/drives/" + shared + "/write", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(other.get("/drives/" + shared + "/read/0/5").body()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        assertError(other.post("/drives/" + shared + "/write", new byte[1]), 404, "missing");
        assertError(other.post("/drives/" + shared + "/set", "name mine\n"), 404, "missing");
        String copy = properties(other.post("/drives/create", "name copy\nsize 4096\n")).get("drive");
        assertThat(other.post("/drives/" + copy + "/image/" + shared, "").statusCode()).isEqualTo(204);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (properties(other.get("/drives/" + copy + "/info")).containsKey("imaging")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            sleep(20);
        }
        assertThat(other.get("/drives/" + copy + "/read/0/5").body()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void answersEveryMistakeWithItsErrorType() {
        for (String accept : new String[] {"text/plain", "application/json"}) {
            assertError(anonymous.get("/drives/list", "Accept", accept), 401, "auth");
            HttpResponse<byte[]> wrongKey = api.as(user, "wrong").get("/drives/list", "Accept", accept);
            assertError(wrongKey, 401, "auth");
            assertThat(wrongKey.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
            assertError(api.as("not-a-uuid", "x").get("/drives/list"), 401, "auth");
            assertError(api.get("/drives/create", "Accept", accept), 405, "method");
            assertError(api.get("/drives/" + UUID.randomUUID() + "/destroy", "Accept", accept), 405, "method");
            assertError(api.get("/drives/nonsense/info", "Accept", accept), 404, "missing");
            assertError(api.get("/drives/frobnicate", "Accept", accept), 404, "missing");
            assertError(api.get("/nothing/here", "Accept", accept), 404, "missing");
            HttpResponse<byte[]> typo = api.post("/drives/create", "name x\nsize 1M\nsiez 2\n", "Accept", accept);
            assertError(typo, 400, "usage");
            assertThat(ApiClient.text(typo)).contains("siez");
            assertError(api.post("/drives/create", "name x\n", "Accept", accept), 400, "usage");
            assertError(api.post("/drives/create", "name x\nsize -1\n"), 400, "usage");
            assertError(api.post("/drives/create", "name x\nsize 12Q\n"), 400, "usage");
            assertError(api.post("/drives/create", "name x\nsize 1M\nclaim:type open\n"), 400, "usage");
            assertError(api.post("/drives/create", "name x\nsize 1M\nreaders me\n"), 400, "usage");
            // every UUID listed is stored (readers) or looked up (avoid) at each use of the list
            String uuids65 = String.join(" ", Stream.generate(() -> UUID.randomUUID().toString()).limit(65).toList());
            assertError(api.post("/drives/create", "name x\nsize 1M\nreaders " + uuids65 + "\n"), 400, "usage");
            assertError(api.post("/drives/create", "name x\nsize 1M\navoid " + uuids65 + "\n"), 400, "usage");
            assertError(api.post("/drives/create", "name x\nsize 1M\nencryption:cipher rot13\n"), 400, "usage");
            assertError(api.post("/drives/create", "{\"name\": ", "Content-Type", "application/json", "Accept", accept), 400, "usage");
            assertError(api.post("/drives/create", "[1,2]", "Content-Type", "application/json"), 400, "usage");
            assertError(api.post("/drives/create", "{\"name\": {\"a\": 1}}", "Content-Type", "application/json"), 400, "usage");
            assertError(api.post("/drives/create", new byte[] {(byte) 0xff, (byte) 0xfe, 'x'}), 400, "usage");
            assertError(api.post("/drives/" + UUID.randomUUID() + "/image/" + UUID.randomUUID() + "/unzip", ""), 400, "usage");
            assertError(api.post("/drives/" + UUID.randomUUID() + "/image/" + UUID.randomUUID() + "/gunzip", ""), 404, "missing");
        }
    }

    @Test
    void pingsOnlyWithRightCredentials() {
        assertThat(api.get("/ping").statusCode()).isEqualTo(204);
        assertThat(api.post("/api/ping", "").statusCode()).isEqualTo(204);
        assertError(api.as(user, "wrong").get("/ping"), 401, "auth");
    }

    @Test
    void keepsCustomersOutOfActuatorAndAdminsIn() {
        // Credentials that are right for the public API are wrong for Actuator: 401 auth, as the API's table says.
        assertError(api.post("/actuator/users", "", "Content-Type", "application/json"), 401, "auth");
        assertError(api.get("/actuator/library"), 401, "auth");
        assertError(anonymous.get("/actuator/library"), 401, "auth");
        assertError(admin.as("admin", "wrong").get("/actuator/library"), 401, "auth");
        assertThat(admin.get("/actuator/library").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health").statusCode()).isEqualTo(200);
        // The admin is not a customer.
        assertError(admin.get("/drives/list"), 401, "auth");
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
