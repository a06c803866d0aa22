package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Several hosts on this one: three processes of the packaged system, each started as an operator
 * starts it on its own host ({@code deploy/run-host.sh ROLES}), joined by RabbitMQ (a namespace of
 * their own) and the internal data path over TLS (the storage and the API host's files made by
 * {@code deploy/internal-ca.sh}, as an operator makes them): the API service on a fresh PostgreSQL
 * database, a storage-only process with one pool and an agent-only process, started side by side.
 * {@link #start} returns once the
 * API process has heard from both; {@link #close()} stops them and removes the database and the
 * bus namespace. The helpers speak the public API of the API process as one customer.
 */
public final class ThreeHosts implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(90);

    final String pool;
    final String agentNode;
    final String secret = UUID.randomUUID().toString();
    private final String run;
    private final String namespace;
    private TestInfrastructure.Database database;
    RunningSystem storage;
    RunningSystem agent;
    public RunningSystem api;
    private final List<RunningSystem> moreApis = new ArrayList<>();
    private Map<String, String> apiEnv;
    private Path tlsDir;
    private String[] apiArgs;
    PlainHttp http;
    String admin;
    String auth;

    private ThreeHosts(String prefix, String run) {
        this.run = run;
        this.namespace = "elastic-test-" + prefix + "-" + run;
        this.pool = prefix + "-pool-" + run;
        this.agentNode = prefix + "-agent-" + run;
    }

    /**
     * Starts the three processes, named {@code PREFIX-storage}, {@code PREFIX-agent} and {@code
     * PREFIX-api} (their logs: {@code target/system-NAME.log}), each with the arguments given
     * besides the bus namespace, the pool, the agent's node and the data path secret.
     */
    public static ThreeHosts start(String prefix, List<String> storageArgs, List<String> agentArgs, List<String> apiArgs) {
        ThreeHosts hosts = new ThreeHosts(prefix, UUID.randomUUID().toString().substring(0, 8));
        try {
            hosts.launch(prefix, storageArgs, agentArgs, apiArgs);
            return hosts;
        } catch (RuntimeException | Error e) {
            hosts.close();
            throw e;
        }
    }

    private void launch(String prefix, List<String> storageArgs, List<String> agentArgs, List<String> apiArgs) {
        database = TestInfrastructure.Database.create("elastic_test_" + prefix + "_" + run);
        String bus = "--elastic.bus.rabbitmq.namespace=" + namespace;
        Path tls = internalCa(prefix);
        Map<String, String> secretEnv = new HashMap<>(Map.of("ELASTIC_DATAPATH_SECRET", secret));
        secretEnv.putAll(tlsEnvironment(tls.resolve("storage")));
        this.apiEnv = new HashMap<>(Map.of("ELASTIC_DATAPATH_SECRET", secret));
        this.apiEnv.putAll(tlsEnvironment(tls.resolve("api")));
        this.apiEnv.putAll(database.environment());
        this.apiArgs = args(apiArgs, bus);
        // the three start side by side, as on three hosts: each JVM's start is mostly one thread
        ExecutorService starting = Executors.newFixedThreadPool(2);
        try {
            Future<RunningSystem> storageStart = starting.submit(() -> RunningSystem.startHost(prefix + "-storage",
                    "storage", secretEnv, args(storageArgs, bus, "--elastic.storage.pools[0].name=" + pool,
                            "--elastic.storage.data-path.address=127.0.0.1", "--elastic.storage.data-path.port=0")));
            Future<RunningSystem> agentStart = starting.submit(() -> RunningSystem.startHost(prefix + "-agent", "agent",
                    Map.of(), args(agentArgs, bus, "--elastic.agent.node=" + agentNode)));
            Throwable failed = null;
            try {
                api = RunningSystem.startHost(prefix + "-api", "api", this.apiEnv, this.apiArgs);
            } catch (RuntimeException | Error e) {
                failed = e;
            }
            // every start ends (each is bounded) before this goes on or fails: close() stops what started
            try {
                storage = started(storageStart);
            } catch (RuntimeException | Error e) {
                failed = failed == null ? e : failed;
            }
            try {
                agent = started(agentStart);
            } catch (RuntimeException | Error e) {
                failed = failed == null ? e : failed;
            }
            if (failed instanceof RuntimeException r) {
                throw r;
            } else if (failed instanceof Error e) {
                throw e;
            }
        } finally {
            starting.shutdownNow();
        }
        http = api.http();
        admin = api.adminAuthorization();
        auth = PlainHttp.basic(api.createCustomer());
        Wait.until("the storage node and the agent report to the API process", WAIT,
                () -> reachable("/actuator/storagenodes", pool) && reachable("/actuator/hosts", agentNode),
                () -> http.get("/actuator/storagenodes", admin).text() + "\n" + http.get("/actuator/hosts", admin).text());
        TestInfrastructure.requireRabbitNamespace(namespace);
    }

    /** What {@code start} started, once it has; its failure as it was thrown. */
    static RunningSystem started(Future<RunningSystem> start) {
        try {
            return start.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts another API instance as an operator adds one: the same database, bus, data path
     * secret and arguments, and the first one's master key ({@code NAME}'s log:
     * {@code target/system-NAME.log}); returns once it has heard from the storage node and the
     * agent. Stopped by {@link #close()}.
     */
    public RunningSystem startAnotherApi(String name) {
        String key = "--elastic.master-key-file=" + api.dataDir().resolve("keys").resolve("master.key");
        RunningSystem another = RunningSystem.startHost(name, "api", apiEnv, args(List.of(apiArgs), key));
        moreApis.add(another);
        PlainHttp http = another.http();
        String admin = another.adminAuthorization();
        Wait.until("the storage node and the agent report to " + name, WAIT,
                () -> reachable(http, admin, "/actuator/storagenodes", pool) && reachable(http, admin, "/actuator/hosts", agentNode),
                () -> http.get("/actuator/storagenodes", admin).text() + "\n" + http.get("/actuator/hosts", admin).text());
        return another;
    }

    /**
     * The internal CA of this run and the files of its two hosts that speak the data path, made by
     * the operator's script: {@code storage} for 127.0.0.1 (the host of its data URL), {@code api}.
     */
    private Path internalCa(String prefix) {
        tlsDir = RunningSystemSupport.repositoryRoot().resolve("integration-tests/target/internal-ca-" + prefix + "-" + run);
        internalCa("ca", "--ca-dir", tlsDir.resolve("ca").toString());
        internalCa("host", "127.0.0.1", "--ca-dir", tlsDir.resolve("ca").toString(), "--out", tlsDir.resolve("storage").toString());
        internalCa("host", "api.internal.test", "--ca-dir", tlsDir.resolve("ca").toString(), "--out", tlsDir.resolve("api").toString());
        return tlsDir;
    }

    /** Runs {@code deploy/internal-ca.sh ARGS}, bounded; fails the test unless it succeeds. */
    static void internalCa(String... args) {
        List<String> command = new ArrayList<>(List.of("bash",
                RunningSystemSupport.repositoryRoot().resolve("deploy/internal-ca.sh").toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("internal-ca.sh " + String.join(" ", args) + " did not finish in 60 s");
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("internal-ca.sh %s: %s", String.join(" ", args), output).isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code elastic.data-path.tls.*} as the environment of {@code run-host.sh} gives it. */
    private static Map<String, String> tlsEnvironment(Path host) {
        return Map.of("ELASTIC_DATAPATH_TLS_KEYSTORE", host.resolve("keystore.p12").toString(),
                "ELASTIC_DATAPATH_TLS_PASSWORDFILE", host.resolve("password").toString(),
                "ELASTIC_DATAPATH_TLS_CAFILE", host.resolve("ca.pem").toString());
    }

    /**
     * A TLS context for calling the storage process's data path as a process of this cloud would
     * ({@code withCertificate}: the API host's certificate) or as a stranger who trusts the CA
     * but has no certificate of it.
     */
    SSLContext dataPathTls(boolean withCertificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(tlsDir.resolve("api/ca.pem"))) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trusted);
        KeyManagerFactory kmf = null;
        if (withCertificate) {
            char[] password = Files.readString(tlsDir.resolve("api/password")).strip().toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(tlsDir.resolve("api/keystore.p12"))) {
                keys.load(in, password);
            }
            kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(keys, password);
        }
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static String[] args(List<String> given, String... ours) {
        List<String> all = new ArrayList<>(List.of(ours));
        all.addAll(given);
        return all.toArray(String[]::new);
    }

    @Override
    public void close() {
        try {
            moreApis.forEach(RunningSystem::close);
            for (RunningSystem s : new RunningSystem[] {api, agent, storage}) {
                if (s != null) {
                    s.close();
                }
            }
            TestInfrastructure.deleteRabbitNamespace(namespace, pool, agentNode);
        } finally {
            if (database != null) {
                database.drop();
            }
        }
    }

    /** The processes of the storage node, the agent and every API instance still running (for their CPU time). */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> all = new ArrayList<>();
        for (RunningSystem s : List.of(storage, agent, api)) {
            all.addAll(s.processes());
        }
        moreApis.stream().filter(RunningSystem::isRunning).forEach(s -> all.addAll(s.processes()));
        return all;
    }

    /** The processes' RabbitMQ namespace (its exchanges: {@code NAMESPACE.commands}, {@code NAMESPACE.events}). */
    public String namespace() {
        return namespace;
    }

    /** The agent process's node name. */
    public String agentNode() {
        return agentNode;
    }

    /**
     * Connection settings for the processes' RabbitMQ (the cloud's virtual host and user), for
     * nodes of a benchmark's own that join their bus (bench's simulated fleet).
     */
    public static com.rabbitmq.client.ConnectionFactory busConnectionFactory() {
        return TestInfrastructure.rabbitConnectionFactory();
    }

    /** The API instances' database. */
    TestInfrastructure.Database database() {
        return database;
    }

    /** The first column of each row {@code sql} answers in the API instances' database. */
    public List<String> query(String sql) throws java.sql.SQLException {
        try (java.sql.Connection db = database.connect(); java.sql.Statement s = db.createStatement();
             java.sql.ResultSet rs = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
            return rows;
        }
    }

    /** Runs {@code sql}, a statement that answers no rows (e.g. {@code VACUUM ANALYZE}), in the API instances' database. */
    public void execute(String sql) throws java.sql.SQLException {
        try (java.sql.Connection db = database.connect(); java.sql.Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    /** The entry of {@code node} in an admin listing ({@code /actuator/storagenodes}, {@code /actuator/hosts}), or null. */
    JsonObject node(String endpoint, String node) {
        PlainHttp.Reply r = http.get(endpoint, admin);
        assertStatus(r, 200);
        return byNode(JsonParser.parseString(r.text()).getAsJsonArray(), node);
    }

    private boolean reachable(String endpoint, String node) {
        return reachable(http, admin, endpoint, node);
    }

    private static boolean reachable(PlainHttp http, String admin, String endpoint, String node) {
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

    /** {@code POST /drives/create} with {@code body}; answers the drive's UUID. */
    String createDrive(String body) {
        PlainHttp.Reply r = http.post("/drives/create", auth, body, "Content-Type", "text/plain");
        assertStatus(r, 200);
        return PlainHttp.parseObject(r.text()).get("drive");
    }

    Map<String, String> driveInfo(String drive) {
        PlainHttp.Reply r = http.get("/drives/" + drive + "/info", auth);
        assertStatus(r, 200);
        return PlainHttp.parseObject(r.text());
    }

    /** {@code POST /servers/create} with {@code body}; answers the server's info. */
    Map<String, String> createServer(String body) {
        PlainHttp.Reply r = http.post("/servers/create", auth, body);
        assertStatus(r, 200);
        return PlainHttp.parseObject(r.text());
    }

    Map<String, String> serverInfo(String server) {
        PlainHttp.Reply r = http.get("/servers/" + server + "/info", auth);
        assertStatus(r, 200);
        return PlainHttp.parseObject(r.text());
    }

    /** {@code POST PATH} without a body, as the customer; asserts {@code status}. */
    void post(String path, int status) {
        assertStatus(http.post(path, auth, (byte[]) null), status);
    }

    byte[] read(String drive, long offset, int length) {
        PlainHttp.Reply r = http.get("/drives/" + drive + "/read/" + offset + "/" + length, auth);
        assertStatus(r, 200);
        return r.body();
    }

    static void assertStatus(PlainHttp.Reply r, int status) {
        assertThat(r.status()).as(r.describe()).isEqualTo(status);
    }
}
