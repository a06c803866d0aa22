package io.elasticcloud.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The whole system, started the way an operator starts it: {@code deploy/run-single-host.sh} as a
 * child process, on a free loopback port, with a fresh data directory and (unless asked
 * otherwise) a known admin password. Its output goes to {@code target/system-NAME.log}, new for
 * each RunningSystem and appended across its restarts. It can be killed with SIGKILL and started
 * again on the same data directory and port, to test what survives a crash. Every wait is bounded.
 *
 * <p>Settings (system properties, set by the module's pom): {@code it.repositoryRoot},
 * {@code it.logDirectory}, {@code it.startTimeoutSeconds}, and {@code it.javaOpts} for the
 * system's JVM.
 *
 * <p>{@link #startHost} starts some parts only ({@code deploy/run-host.sh ROLES}), for several
 * hosts on this one; a process without the {@code api} role serves no public HTTP, only its
 * management port ({@link #managementUri}, a free one of its own), so it counts as started when it
 * logs its roles.
 */
public final class RunningSystem implements AutoCloseable {

    public static final Pattern UUID = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern ROLES_LOGGED = Pattern.compile("roles of this process: ");
    private static final Pattern GENERATED_PASSWORD = Pattern.compile("Generated admin password: (\\S+)");
    private static final String DEFAULT_JAVA_OPTS = "-Xms128m -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(10);

    private final String name;
    private final Path repositoryRoot;
    private final Path dataDir;
    private final Path logFile;
    /** The HTTP client of {@link #createCustomer}: the port stays the same across restarts. */
    private PlainHttp customerMaker;
    private final int port;
    /** The management port of a process without the API ({@code elastic.management.port}). */
    private final int managementPort;
    /** Its node agent's name: its own, so that systems sharing this host's libvirt leave each other's guests alone. */
    private final String node;
    private final List<String> extraArgs;
    /** null: the whole system (run-single-host.sh); else run-host.sh with these roles. */
    private final String roles;
    private final Map<String, String> extraEnv;
    private final Duration startTimeout;
    private final HttpClient probe = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final Thread killOnExit = new Thread(this::killProcessTree, "kill-system-on-exit");
    private String adminPassword;
    private Process process;
    private int starts;

    private RunningSystem(String name, String adminPassword, List<String> extraArgs) {
        this(name, adminPassword, extraArgs, null, Map.of());
    }

    private RunningSystem(String name, String adminPassword, List<String> extraArgs, String roles,
                          Map<String, String> extraEnv) {
        this.name = name;
        this.roles = roles;
        this.extraEnv = Map.copyOf(extraEnv);
        this.adminPassword = adminPassword;
        this.extraArgs = List.copyOf(extraArgs);
        this.repositoryRoot = RunningSystemSupport.repositoryRoot();
        Path logDirectory = RunningSystemSupport.logDirectory();
        this.startTimeout = Duration.ofSeconds(Long.getLong("it.startTimeoutSeconds", 180));
        try {
            Files.createDirectories(logDirectory);
            this.dataDir = Files.createTempDirectory(logDirectory, "data-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.logFile = logDirectory.resolve("system-" + name + ".log");
        try {
            // a fresh log per system: an earlier run's lines must not be read as this one's
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.port = RunningSystemSupport.freeLoopbackPort();
        this.managementPort = RunningSystemSupport.freeLoopbackPort();
        this.node = "it-" + name + "-" + Integer.toHexString(port);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts the system with a known admin password, and waits until it is healthy. */
    public static RunningSystem start(String name, String... extraArgs) {
        RunningSystem s = new RunningSystem(name, RunningSystemSupport.randomSecret(), List.of(extraArgs));
        s.launch();
        return s;
    }

    /**
     * Starts the parts {@code roles} names ({@code deploy/run-host.sh ROLES}, e.g. {@code storage}),
     * with {@code env} added to its environment, and waits until it is healthy (with {@code api})
     * or has started (without).
     */
    public static RunningSystem startHost(String name, String roles, Map<String, String> env, String... extraArgs) {
        RunningSystem s = new RunningSystem(name, RunningSystemSupport.randomSecret(), List.of(extraArgs), roles, env);
        s.launch();
        return s;
    }

    /**
     * Starts the system without ELASTIC_ADMIN_PASSWORD, so that it generates one; the password is
     * then taken from the line the system prints.
     */
    public static RunningSystem startWithGeneratedPassword(String name) {
        RunningSystem s = new RunningSystem(name, null, List.of());
        s.launch();
        return s;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Where a process without the {@code api} role serves its health and metrics. */
    public URI managementUri() {
        return URI.create("http://127.0.0.1:" + managementPort);
    }

    public PlainHttp http() {
        return new PlainHttp(baseUri());
    }

    private synchronized PlainHttp customerMaker() {
        if (customerMaker == null) {
            customerMaker = new PlainHttp(baseUri());
        }
        return customerMaker;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The system's processes (its start script, the JVM, and whatever they started). */
    public List<ProcessHandle> processes() {
        Process p = process;
        if (p == null) {
            return List.of();
        }
        List<ProcessHandle> all = new ArrayList<>();
        all.add(p.toHandle());
        all.addAll(p.descendants().toList());
        return all;
    }

    public Path logFile() {
        return logFile;
    }

    public String adminPassword() {
        if (adminPassword == null) {
            throw new IllegalStateException("the system has not printed a generated admin password");
        }
        return adminPassword;
    }

    public String adminAuthorization() {
        return PlainHttp.basic("admin", adminPassword());
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Creates a customer through the admin endpoint {@code POST /actuator/users}, on one HTTP client
     * kept for it: a client per call would leave its kept-alive connection open behind it, and a
     * thousand customers made so would pass the API's connections per address (bench/scale.sh).
     */
    public Customer createCustomer() {
        PlainHttp.Reply r = customerMaker().post("/actuator/users", adminAuthorization(), (byte[]) null,
                "Accept", "application/json");
        if (r.status() != 200 && r.status() != 201) {
            throw new AssertionError("POST /actuator/users answered " + r.describe());
        }
        JsonObject o;
        try {
            o = JsonParser.parseString(r.text()).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new AssertionError("POST /actuator/users did not answer a JSON object: " + r.text(), e);
        }
        String user = RunningSystemSupport.string(o, "user");
        String key = RunningSystemSupport.string(o, "key");
        if (user == null || !UUID.matcher(user).matches() || key == null || key.isBlank()) {
            throw new AssertionError("POST /actuator/users answered no usable user/key: " + r.text());
        }
        return new Customer(user, key);
    }

    /**
     * Imports a standard drive with the operator's script {@code deploy/import-standard-drive.sh}
     * and returns what it printed.
     */
    public String importStandardDrive(String uuid, String driveName, Path file, String media) {
        Path out = null;
        try {
            out = Files.createTempFile(dataDir.getParent(), "import-", ".out");
            ProcessBuilder pb = new ProcessBuilder(
                    repositoryRoot.resolve("deploy/import-standard-drive.sh").toString(),
                    uuid, driveName, file.toAbsolutePath().toString(), media)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("ELASTIC_URL", baseUri().toString());
            pb.environment().put("ELASTIC_ADMIN_PASSWORD", adminPassword());
            Process p = pb.start();
            if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("import-standard-drive.sh still running after " + SCRIPT_TIMEOUT);
            }
            String printed = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new AssertionError("import-standard-drive.sh exited " + p.exitValue() + ":\n" + printed);
            }
            return printed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    /** A crash: SIGKILL to the system and everything it started; returns when they are gone. */
    public void crash() {
        note("crash: kill -9");
        killProcessTree();
    }

    /** Starts the system again on the same data directory, port and admin password. */
    public void restart() {
        if (isRunning()) {
            throw new IllegalStateException("the system is still running");
        }
        launch();
    }

    /** Stops the system as an operator would (SIGTERM), killing it if it does not stop in time. */
    public void stop() {
        if (process == null) {
            return;
        }
        note("stop: SIGTERM");
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                note("stop: still running after " + STOP_TIMEOUT + ", kill -9");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killProcessTree();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** Stops it; fails if it served any client a 5xx body that tells our insides ({@link FailureBodies}). */
    @Override
    public void close() {
        try {
            stop();
            if (Files.exists(logFile)) {
                FailureBodies.checkServed(log(), name);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    /** The last lines of the system's log, for failure messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    public String log() {
        try {
            return Files.readString(logFile, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() {
        Path script = repositoryRoot.resolve(roles == null ? "deploy/run-single-host.sh" : "deploy/run-host.sh");
        Path jar = repositoryRoot.resolve("launcher/target/elastic-cloud.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: build it first (mvn -DskipTests package, "
                    + "or run the tests with mvn verify from the repository root)");
        }
        starts++;
        note("start #" + starts + " on port " + port + ", data " + dataDir);
        List<String> command = new ArrayList<>();
        command.add(script.toString());
        if (roles != null) {
            command.add(roles);
        }
        command.add("--server.address=127.0.0.1");
        if (roles != null && !hasApi()) {
            command.add("--elastic.management.port=" + managementPort);
        }
        command.add(FailureBodies.RECORD_SERVED);
        if (extraArgs.stream().noneMatch(a -> a.startsWith("--elastic.agent.node="))) {
            command.add("--elastic.agent.node=" + node);
        }
        command.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dataDir.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("ELASTIC_DATA_DIR", dataDir.toString());
        env.put("JAVA_OPTS", System.getProperty("it.javaOpts", DEFAULT_JAVA_OPTS));
        env.putAll(extraEnv);
        if (adminPassword != null) {
            env.put("ELASTIC_ADMIN_PASSWORD", adminPassword);
        } else {
            env.remove("ELASTIC_ADMIN_PASSWORD");
        }
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        }
        awaitHealthy();
        if (adminPassword == null) {
            Matcher m = GENERATED_PASSWORD.matcher(log());
            if (m.find()) {
                adminPassword = m.group(1);
            }
        }
    }

    private void awaitHealthy() {
        if (roles != null && !hasApi()) {
            awaitStarted();
            return;
        }
        Instant deadline = Instant.now().plus(startTimeout);
        HttpRequest health = HttpRequest.newBuilder(baseUri().resolve("/actuator/health"))
                .timeout(Duration.ofSeconds(5))
                .header("Accept", "application/json")
                .GET().build();
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                int status = process.exitValue();
                String how = status > 128 ? " (killed by signal " + (status - 128) + ", not by this test)" : "";
                throw new AssertionError("the system (" + name + ") exited with status " + status + how
                        + " before it was healthy; last lines of " + logFile + ":\n" + logTail(60));
            }
            try {
                HttpResponse<String> r = probe.send(health, HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200 && r.body().replace(" ", "").contains("\"status\":\"UP\"")) {
                    note("healthy");
                    return;
                }
            } catch (IOException notYet) {
                last = notYet.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            sleep(Duration.ofMillis(250));
        }
        killProcessTree();
        throw new AssertionError("the system (" + name + ") was not healthy within " + startTimeout
                + " (last: " + last + "); last lines of " + logFile + ":\n" + logTail(60));
    }

    private boolean hasApi() {
        return roles == null || List.of(roles.split(",")).contains("api");
    }

    /** Until this start's log says which roles run (the application has started). */
    private void awaitStarted() {
        Instant deadline = Instant.now().plus(startTimeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the system (" + name + ") exited with status " + process.exitValue()
                        + " before it started; last lines of " + logFile + ":\n" + logTail(60));
            }
            String log = log();
            int thisStart = log.lastIndexOf("==== [it] ");
            if (ROLES_LOGGED.matcher(log.substring(Math.max(0, thisStart))).find()) {
                note("started");
                return;
            }
            sleep(Duration.ofMillis(250));
        }
        killProcessTree();
        throw new AssertionError("the system (" + name + ") did not start within " + startTimeout
                + "; last lines of " + logFile + ":\n" + logTail(60));
    }

    private void killProcessTree() {
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            p.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            for (ProcessHandle c : children) {
                c.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            note("kill: not all processes gone: " + e);
        }
    }

    private void note(String what) {
        try {
            Files.writeString(logFile, "==== [it] " + Instant.now() + " " + name + ": " + what + "\n", UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
