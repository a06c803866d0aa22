package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several hosts on this one: three processes of the packaged system, each started as an operator
 * starts it on its own host ({@code deploy/run-host.sh ROLES}), joined by RabbitMQ (a namespace of
 * their own) and the internal data path: the API service on a fresh PostgreSQL database, a storage
 * process and an agent process (libvirt's {@code test:///default}, so no guest boots). The API
 * process has neither storage nor agent: every drive lands on the storage process and every byte
 * crosses the data path, every server runs on the agent process's host.
 */
class MultiHostTest {
    private static final int MIB = 1024 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String NAMESPACE = "elastic-test-mh-" + RUN;
    private static final String POOL = "mh-pool-" + RUN;
    private static final String AGENT = "mh-agent-" + RUN;
    private static final String SECRET = UUID.randomUUID().toString();

    private static TestInfrastructure.Database database;
    private static RunningSystem storage;
    private static RunningSystem agent;
    private static RunningSystem api;
    private static PlainHttp http;
    private static String admin;
    private static String auth;

    @BeforeAll
    static void startThreeHosts() {
        database = TestInfrastructure.Database.create("elastic_test_mh_" + RUN);
        String bus = "--elastic.bus.rabbitmq.namespace=" + NAMESPACE;
        Map<String, String> secret = Map.of("ELASTIC_DATAPATH_SECRET", SECRET);
        storage = RunningSystem.startHost("mh-storage", "storage", secret, bus,
                "--elastic.storage.pools[0].name=" + POOL,
                "--elastic.storage.data-path.address=127.0.0.1", "--elastic.storage.data-path.port=0");
        agent = RunningSystem.startHost("mh-agent", "agent", Map.of(), bus,
                "--elastic.agent.libvirt-uri=test:///default", "--elastic.agent.node=" + AGENT);
        Map<String, String> apiEnv = new HashMap<>(secret);
        apiEnv.putAll(database.environment());
        api = RunningSystem.startHost("mh-api", "api", apiEnv, bus);
        http = api.http();
        admin = api.adminAuthorization();
        auth = PlainHttp.basic(api.createCustomer());
        Wait.until("the storage node and the agent report to the API process", WAIT,
                () -> reachable("/actuator/storagenodes", POOL) && reachable("/actuator/hosts", AGENT),
                () -> http.get("/actuator/storagenodes", admin).text() + "\n" + http.get("/actuator/hosts", admin).text());
    }

    @AfterAll
    static void stopThreeHosts() {
        for (RunningSystem s : new RunningSystem[] {api, agent, storage}) {
            if (s != null) {
                s.close();
            }
        }
        TestInfrastructure.deleteRabbitNamespace(NAMESPACE, POOL, AGENT);
        if (database != null) {
            database.drop();
        }
    }

    @Test
    void onlyTheApiProcessHasADatabaseOrAWebPort() throws IOException {
        assertThat(Files.exists(api.dataDir().resolve("db"))).as("the API is on PostgreSQL, not H2").isFalse();
        for (RunningSystem s : new RunningSystem[] {storage, agent}) {
            assertThat(Files.exists(s.dataDir().resolve("db"))).as(s.dataDir() + "/db").isFalse();
            assertThat(s.log()).doesNotContain("HikariPool", "Flyway", "Tomcat started");
            try (Socket ignored = new Socket("127.0.0.1", s.baseUri().getPort())) {
                throw new AssertionError(s.baseUri() + " listens");
            } catch (ConnectException expected) {
                // nothing on its HTTP port
            }
        }
        assertThat(storage.log()).contains("data path serving on /127.0.0.1:");
        JsonObject pool = byNode(JsonParser.parseString(http.get("/actuator/storagenodes", admin).text()).getAsJsonArray(),
                POOL);
        assertThat(pool.get("dataUrl").getAsString()).startsWith("http://127.0.0.1:");
        // the data path takes the shared secret only, and the public port does not serve it
        PlainHttp data = new PlainHttp(java.net.URI.create(pool.get("dataUrl").getAsString()));
        String bytes = "/volumes/" + POOL + "/" + UUID.randomUUID() + "?offset=0&length=10";
        assertStatus(data.get(bytes, auth), 401);
        assertStatus(data.get(bytes, admin), 401);
        assertStatus(data.get(bytes, "Bearer " + SECRET), 404);
        assertThat(http.get(bytes, auth).status()).isEqualTo(404);
        assertThat(http.get(bytes, "Bearer " + SECRET).status()).isEqualTo(401);
    }

    @Test
    void drivesLiveOnTheStorageProcessAndTheirBytesCrossTheDataPath() {
        for (String cipher : new String[] {"none", "aes-xts-plain"}) {
            String drive = createDrive("name mh " + cipher + "\nsize 9M\nencryption:cipher " + cipher + "\n");
            assertThat(info(drive)).containsEntry("encryption:cipher", cipher);
            byte[] data = TestBytes.random(cipher.length(), 5 * MIB + 123);
            long at = 3L * MIB + 7;
            assertStatus(http.post("/drives/" + drive + "/write/" + at, auth, data,
                    "Content-Type", "application/octet-stream"), 204);
            assertSame(read(drive, at, 4 * MIB), Arrays.copyOf(data, 4 * MIB));
            assertSame(read(drive, at + 4 * MIB, data.length - 4 * MIB), Arrays.copyOfRange(data, 4 * MIB, data.length));
            assertThat(read(drive, 9L * MIB - 10, 4 * MIB)).as("cut at the end").hasSize(10);
            assertThat(read(drive, 9L * MIB, 4 * MIB)).as("nothing past the end").isEmpty();

            byte[] plain = TestBytes.patterned(2 * MIB + 5);
            assertStatus(http.post("/drives/" + drive + "/write/0", auth, TestBytes.gzip(plain),
                    "Content-Type", "application/octet-stream", "Content-Encoding", "gzip"), 204);
            assertSame(read(drive, 0, plain.length), plain);
            PlainHttp.Reply full = http.post("/drives/" + drive + "/write/" + (9L * MIB - 10), auth, new byte[100],
                    "Content-Type", "application/octet-stream");
            assertStatus(full, 507);
            assertThat(full.header("X-Elastic-Error")).hasValue("full");
            assertStatus(http.post("/drives/" + drive + "/destroy", auth, (byte[]) null), 204);
            assertStatus(http.get("/drives/" + drive + "/info", auth), 404);
        }
    }

    @Test
    void imagingWithGunzipOnTheStorageProcess() {
        byte[] image = TestBytes.patterned(3 * MIB + 77);
        byte[] gz = TestBytes.gzip(image);
        String source = createDrive("name mh gz\nsize " + gz.length + "\n");
        http.writeDrive(source, auth, gz);
        String target = createDrive("name mh image\nsize 4M\nencryption:cipher none\n");
        assertStatus(http.post("/drives/" + target + "/image/" + source + "/gunzip", auth, (byte[]) null), 204);
        Wait.until("imaging ends", WAIT, () -> !info(target).containsKey("imaging"), () -> info(target).toString());
        assertThat(info(target)).doesNotContainKey("imaging:error");
        assertSame(read(target, 0, image.length), image);
        assertThat(read(target, image.length, 4096)).containsOnly(0);
        for (String d : new String[] {source, target}) {
            assertStatus(http.post("/drives/" + d + "/destroy", auth, (byte[]) null), 204);
        }
    }

    @Test
    void serversRunOnTheAgentProcessWithTheirDriveFromTheStorageProcess() {
        // unencrypted: libvirt's test driver keeps no secrets, which an encrypted drive's key needs
        String drive = createDrive("name mh boot\nsize 1M\nencryption:cipher none\n");
        PlainHttp.Reply created = http.post("/servers/create", auth,
                "name mh server\ncpu 500\nmem 128\npersistent true\nide:0:0 " + drive + "\nboot ide:0:0\n");
        assertStatus(created, 200);
        String server = PlainHttp.parseObject(created.text()).get("server");
        assertThat(serverInfo(server)).containsEntry("status", "active");
        JsonObject host = byNode(JsonParser.parseString(http.get("/actuator/hosts", admin).text()).getAsJsonArray(), AGENT);
        assertThat(host.toString()).contains("\"cpuUsedMhz\":500");
        assertThat(info(drive).get("claimed")).contains(":guest:" + server + ":ide:0:0");

        assertStatus(http.post("/servers/" + server + "/stop", auth, (byte[]) null), 204);
        Wait.until("the server is stopped", WAIT, () -> "stopped".equals(serverInfo(server).get("status")),
                () -> serverInfo(server).toString());
        assertStatus(http.post("/servers/" + server + "/destroy", auth, (byte[]) null), 204);
        assertStatus(http.get("/servers/" + server + "/info", auth), 404);
        assertStatus(http.post("/drives/" + drive + "/destroy", auth, (byte[]) null), 204);
    }

    private static boolean reachable(String endpoint, String node) {
        PlainHttp.Reply r = http.get(endpoint, admin);
        if (r.status() != 200) {
            return false;
        }
        JsonObject o = byNode(JsonParser.parseString(r.text()).getAsJsonArray(), node);
        return o != null && o.get("reachable").getAsBoolean();
    }

    private static JsonObject byNode(JsonArray nodes, String node) {
        for (JsonElement e : nodes) {
            if (node.equals(e.getAsJsonObject().get("node").getAsString())) {
                return e.getAsJsonObject();
            }
        }
        return null;
    }

    private static String createDrive(String body) {
        PlainHttp.Reply r = http.post("/drives/create", auth, body, "Content-Type", "text/plain");
        assertStatus(r, 200);
        return PlainHttp.parseObject(r.text()).get("drive");
    }

    private static Map<String, String> info(String drive) {
        PlainHttp.Reply r = http.get("/drives/" + drive + "/info", auth);
        assertStatus(r, 200);
        return PlainHttp.parseObject(r.text());
    }

    private static Map<String, String> serverInfo(String server) {
        PlainHttp.Reply r = http.get("/servers/" + server + "/info", auth);
        assertStatus(r, 200);
        return PlainHttp.parseObject(r.text());
    }

    private static byte[] read(String drive, long offset, int length) {
        PlainHttp.Reply r = http.get("/drives/" + drive + "/read/" + offset + "/" + length, auth);
        assertStatus(r, 200);
        return r.body();
    }

    /** Byte arrays compared without printing megabytes on failure. */
    private static void assertSame(byte[] actual, byte[] expected) {
        assertThat(actual.length).as("length").isEqualTo(expected.length);
        assertThat(Arrays.mismatch(actual, expected)).as("index of the first differing byte").isEqualTo(-1);
    }

    private static void assertStatus(PlainHttp.Reply r, int status) {
        assertThat(r.status()).as(r.describe()).isEqualTo(status);
    }
}
