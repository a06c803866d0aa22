package io.elasticcloud.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jclouds.elasticstack.ElasticStackApi;
import org.jclouds.elasticstack.domain.CreateDriveRequest;
import org.jclouds.elasticstack.domain.DriveInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The drive calls of spec/API.md sections 1-2 that a client library does not show: status codes,
 * X-Elastic-Error types, formats, limits and isolation, with plain HTTP against the whole system.
 */
class DriveApiContractTest {

    private static final int MIB = 1024 * 1024;

    private static RunningSystem system;

    private PlainHttp http;
    private Customer owner;
    private String auth;

    @BeforeAll
    static void startSystem() {
        system = RunningSystem.start("drive-contract");
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @BeforeEach
    void newCustomer() {
        http = system.http();
        owner = system.createCustomer();
        auth = PlainHttp.basic(owner);
    }

    private String createDrive(String authorization, String body) {
        PlainHttp.Reply r = http.post("/drives/create", authorization, body, "Content-Type", "text/plain");
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        String drive = PlainHttp.parseObject(r.text()).get("drive");
        assertThat(drive).matches(RunningSystem.UUID);
        return drive;
    }

    private static void assertError(PlainHttp.Reply r, int status, String type) {
        assertThat(r.status()).as(r.describe()).isEqualTo(status);
        assertThat(r.header("X-Elastic-Error")).as(r.describe()).contains(type);
        assertThat(r.text()).as("a one-line description for people, no internals")
                .isNotBlank()
                .doesNotContain("Exception", "io.elasticcloud", "\tat ");
        assertThat(r.text().strip()).doesNotContain("\n");
    }

    @Test
    void missingOrWrongCredentialsAre401AuthWithABasicChallenge() {
        PlainHttp.Reply none = http.get("/drives/list", null);
        assertError(none, 401, "auth");
        assertThat(none.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
        assertError(http.get("/api/drives/list", PlainHttp.basic(owner.uuid(), "wrong")), 401, "auth");
    }

    @Test
    void sizesTakeBinarySuffixesAndTextRepliesAreKeyValueLines() {
        PlainHttp.Reply r = http.post("/api/drives/create", auth, "name suffixed\nsize 64k\n",
                "Content-Type", "text/plain");
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.header("X-Elastic-Output")).contains("properties");
        assertThat(r.text()).endsWith("\n").doesNotContain("\r");
        Map<String, String> info = PlainHttp.parseObject(r.text());
        assertThat(info).containsEntry("name", "suffixed").containsEntry("size", "65536")
                .containsEntry("user", owner.uuid());
        String drive = info.get("drive");

        PlainHttp.Reply list = http.get("/drives/list", auth);
        assertThat(list.status()).as(list.describe()).isEqualTo(200);
        assertThat(list.header("X-Elastic-Output")).contains("list");
        assertThat(list.text()).isEqualTo(drive + "\n");
        // the same API at the root and under /api/
        assertThat(http.get("/api/drives/list", auth).text()).isEqualTo(drive + "\n");
    }

    @Test
    void jsonOnRequestAndReplyWithNumbersForSizes() {
        PlainHttp.Reply r = http.post("/drives/create", auth, "{\"name\": \"json drive\", \"size\": 1048576, "
                        + "\"tags\": [\"a\", \"b\"], \"user:note\": \"hi there\"}",
                "Content-Type", "application/json", "Accept", "application/json");
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        JsonObject o = JsonParser.parseString(r.text()).getAsJsonObject();
        assertThat(o.get("size").getAsJsonPrimitive().isNumber()).as("size is a JSON number: " + o).isTrue();
        assertThat(o.get("size").getAsLong()).isEqualTo(MIB);
        assertThat(o.get("name").getAsString()).isEqualTo("json drive");
        assertThat(o.get("tags").getAsString()).isEqualTo("a b");
        assertThat(o.get("user:note").getAsString()).isEqualTo("hi there");
        String drive = o.get("drive").getAsString();

        PlainHttp.Reply all = http.get("/drives/info", auth, "Accept", "application/json");
        assertThat(all.status()).as(all.describe()).isEqualTo(200);
        JsonElement array = JsonParser.parseString(all.text());
        assertThat(array.isJsonArray()).as(all.text()).isTrue();
        assertThat(array.getAsJsonArray()).singleElement()
                .satisfies(e -> assertThat(e.getAsJsonObject().get("drive").getAsString()).isEqualTo(drive));
    }

    @Test
    void unknownKeysAreRefusedByName() {
        PlainHttp.Reply r = http.post("/drives/create", auth, "name typo\nsize 1M\nmen 2048\n",
                "Content-Type", "text/plain");
        assertError(r, 400, "usage");
        assertThat(r.text()).contains("men");
        assertThat(http.get("/drives/list", auth).text()).as("nothing was created").isEmpty();
    }

    @Test
    void getOnACommandThatExpectsPostIs405AndPostOnReadsIsAccepted() {
        assertError(http.get("/drives/create", auth), 405, "method");
        PlainHttp.Reply postList = http.post("/drives/list", auth, (byte[]) null);
        assertThat(postList.status()).as(postList.describe()).isEqualTo(200);
    }

    @Test
    void setRefusesShrinkingAndCipherChangesAndKeepsTheDrive() {
        String drive = createDrive(auth, "name fixed\nsize 2M\nencryption:cipher aes-xts-plain\n");
        assertError(http.post("/drives/" + drive + "/set", auth, "size 1M\n", "Content-Type", "text/plain"),
                400, "usage");
        assertError(http.post("/drives/" + drive + "/set", auth, "encryption:cipher none\n",
                "Content-Type", "text/plain"), 400, "usage");
        Map<String, String> info = PlainHttp.parseObject(http.get("/drives/" + drive + "/info", auth).text());
        assertThat(info).containsEntry("size", Long.toString(2L * MIB))
                .containsEntry("encryption:cipher", "aes-xts-plain");
    }

    @Test
    void readsAreLimitedTo4MAndWritesPastTheEndAre507WithNothingWritten() {
        String drive = createDrive(auth, "name limits\nsize 8M\n");
        PlainHttp.Reply max = http.get("/drives/" + drive + "/read/0/4M", auth);
        assertThat(max.status()).as(max.describe()).isEqualTo(200);
        assertThat(max.body()).hasSize(4 * MIB);
        assertThat(max.header("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/octet-stream"));
        assertError(http.get("/drives/" + drive + "/read/0/4194305", auth), 400, "usage");

        long nearEnd = 8L * MIB - 100;
        byte[] before = http.get("/drives/" + drive + "/read/" + nearEnd + "/100", auth).body();
        assertThat(before).hasSize(100);
        PlainHttp.Reply full = http.post("/drives/" + drive + "/write/" + nearEnd, auth,
                TestBytes.random(51, 4096), "Content-Type", "application/octet-stream");
        assertError(full, 507, "full");
        assertThat(http.get("/drives/" + drive + "/read/" + nearEnd + "/100", auth).body())
                .as("nothing written").isEqualTo(before);
    }

    @Test
    void rawDrivesReadBackAtAnyOffsetAndAreCutAtTheEnd() {
        // raw volumes are sent from their file with sendfile(2): ranges, the end and what follows
        String drive = createDrive(auth, "name raw\nsize 9M\nencryption:cipher none\n");
        byte[] data = TestBytes.random(53, 5 * MIB + 123);
        long at = 3L * MIB + 7;
        PlainHttp.Reply written = http.post("/drives/" + drive + "/write/" + at, auth, data,
                "Content-Type", "application/octet-stream");
        assertThat(written.status()).as(written.describe()).isEqualTo(204);
        for (long offset : new long[] {at, at + 1, at + 4 * MIB}) {
            int length = (int) Math.min(4 * MIB, at + data.length - offset);
            PlainHttp.Reply r = http.get("/drives/" + drive + "/read/" + offset + "/" + length, auth);
            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            assertThat(r.body()).as("bytes at " + offset)
                    .isEqualTo(java.util.Arrays.copyOfRange(data, (int) (offset - at), (int) (offset - at) + length));
        }
        assertThat(http.get("/drives/" + drive + "/read/" + (9L * MIB - 10) + "/4M", auth).body())
                .as("cut at the end of the drive").hasSize(10);
        PlainHttp.Reply past = http.get("/drives/" + drive + "/read/" + 9L * MIB + "/4M", auth);
        assertThat(past.status()).as(past.describe()).isEqualTo(200);
        assertThat(past.body()).as("nothing past the end").isEmpty();
        assertThat(PlainHttp.parseObject(http.get("/drives/" + drive + "/info", auth).text()))
                .containsEntry("read:requests", "5");
    }

    @Test
    void chunkedWritesAreAcceptedToo() throws Exception {
        String drive = createDrive(auth, "name chunked\nsize 1M\n");
        byte[] data = TestBytes.random(52, 200_000);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest chunked = HttpRequest.newBuilder(
                        URI.create(system.baseUri() + "/drives/" + drive + "/write"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", auth)
                .header("Content-Type", "application/octet-stream")
                // an InputStream of unknown length goes out with Transfer-Encoding: chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(data)))
                .build();
        HttpResponse<String> r = client.send(chunked, HttpResponse.BodyHandlers.ofString(UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        assertThat(http.get("/drives/" + drive + "/read/0/" + data.length, auth).body()).isEqualTo(data);
    }

    @Test
    void readersMayReadAndOthersSeeNothing() {
        Customer reader = system.createCustomer();
        Customer stranger = system.createCustomer();
        String drive = createDrive(auth, "name shared data\nsize 1M\nreaders " + reader.uuid() + "\n");
        byte[] data = TestBytes.random(53, 8192);
        PlainHttp.Reply w = http.post("/drives/" + drive + "/write", auth, data,
                "Content-Type", "application/octet-stream");
        assertThat(w.status()).as(w.describe()).isEqualTo(204);

        PlainHttp.Reply byReader = http.get("/drives/" + drive + "/read/0/8192", PlainHttp.basic(reader));
        assertThat(byReader.status()).as(byReader.describe()).isEqualTo(200);
        assertThat(byReader.body()).isEqualTo(data);

        String strangerAuth = PlainHttp.basic(stranger);
        assertError(http.get("/drives/" + drive + "/read/0/8192", strangerAuth), 404, "missing");
        assertError(http.get("/drives/" + drive + "/info", strangerAuth), 404, "missing");
        assertError(http.post("/drives/" + drive + "/write", strangerAuth, data,
                "Content-Type", "application/octet-stream"), 404, "missing");
        assertError(http.post("/drives/" + drive + "/destroy", strangerAuth, (byte[]) null), 404, "missing");
        // a stranger cannot image from it either
        String strangers = createDrive(strangerAuth, "name thief\nsize 1M\n");
        assertError(http.post("/drives/" + strangers + "/image/" + drive, strangerAuth, (byte[]) null),
                404, "missing");
        assertThat(http.get("/drives/list", strangerAuth).text()).isEqualTo(strangers + "\n");
    }

    @Test
    void jcloudsWorksUnderTheApiStemToo() throws Exception {
        try (ElasticStackApi api = Jclouds.api(URI.create(system.baseUri() + "/api"), owner, "2.0")) {
            DriveInfo d = api.createDrive(new CreateDriveRequest.Builder().name("under /api/").size(MIB).build());
            assertThat(d.getName()).isEqualTo("under /api/");
            assertThat(api.listDrives()).containsExactly(d.getUuid());
            assertThat(api.getDriveInfo(d.getUuid()).getSize()).isEqualTo(MIB);
            api.destroyDrive(d.getUuid());
            assertThat(api.listDrives()).isEmpty();
        }
    }

    @Test
    void callsOnAMissingDriveAre404Missing() {
        String nobody = "00000000-0000-4000-8000-000000000000";
        assertError(http.get("/drives/" + nobody + "/info", auth), 404, "missing");
        assertError(http.get("/drives/" + nobody + "/read/0/512", auth), 404, "missing");
        assertError(http.post("/drives/" + nobody + "/set", auth, "name x\n", "Content-Type", "text/plain"),
                404, "missing");
        assertError(http.post("/drives/" + nobody + "/destroy", auth, (byte[]) null), 404, "missing");
    }
}
