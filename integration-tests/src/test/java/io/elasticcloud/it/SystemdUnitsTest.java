package io.elasticcloud.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units (deploy/systemd/) as {@code deploy/install-units.sh} installs them, on a
 * machine where systemd is not PID 1 (containers, CI): {@code systemd-analyze verify} finds nothing
 * to say about them; the host's configuration file is written once, as a template of comments, and
 * kept; and each unit's command, run by hand as systemd would run it (its {@code Environment=} and
 * {@code EnvironmentFile=}s, its {@code User=}, a clean environment), refuses an untouched
 * template (no data path secret, no database) with a status the unit does not restart on, and,
 * with the template filled in as an operator fills it, starts the API on PostgreSQL and RabbitMQ
 * as an unprivileged user (the broker's credentials reach it from the root-only rabbitmq.env
 * through the unit, which run-host.sh could not read itself), answers health, and stops on SIGTERM
 * within the unit's stop timeout with a status the unit counts as clean.
 */
class SystemdUnitsTest {
    private static final String USER = "nobody";
    private static final Duration START = Duration.ofSeconds(Long.getLong("it.startTimeoutSeconds", 180));
    private static final Duration SCRIPT = Duration.ofSeconds(60);

    private final Path repo = RunningSystemSupport.repositoryRoot();

    @TempDir
    Path dir;

    @Test
    void theUnitsPassSystemdAnalyzeVerify() throws Exception {
        Path units = install("api,storage,agent,lb");
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
        for (String role : List.of("api", "storage", "agent", "lb")) {
            command.add(units.resolve("elastic-" + role + ".service").toString());
        }
        Result r = run(command, Map.of(), null);
        // the test's API user is nobody, which systemd rightly warns about; elastic in production
        String said = r.output().lines().filter(l -> !l.contains("Special user nobody configured"))
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(r.status()).as(r.output()).isZero();
        assertThat(said).as("systemd-analyze verify had something to say").isEmpty();
    }

    @Test
    void theConfigurationFileIsATemplateWrittenOnceAndKept() throws Exception {
        install("api,storage");
        Path config = dir.resolve("elastic.conf");
        assertThat(Files.getPosixFilePermissions(config)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<String> settings = Files.readAllLines(config).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(settings).as("a fresh template sets nothing").isEmpty();
        assertThat(Files.readString(config)).contains("#ELASTIC_DATAPATH_SECRET=", "#SPRING_DATASOURCE_URL=",
                "#ELASTIC_STORAGE_POOLS_0_NAME=").doesNotContain("#ELASTIC_AGENT_NODE=");

        Files.writeString(config, "SPRING_RABBITMQ_HOST=mq.example\n");
        Result again = run(installCommand("api,storage,agent"), installEnvironment(), null);
        assertThat(again.status()).as(again.output()).isZero();
        assertThat(Files.readString(config)).isEqualTo("SPRING_RABBITMQ_HOST=mq.example\n");
        assertThat(dir.resolve("units/elastic-agent.service")).exists();
    }

    @Test
    void anUntouchedTemplateStopsTheUnitsWithAStatusTheyDoNotRestartOn() throws Exception {
        Path units = install("api,storage,lb");
        for (String role : List.of("api", "storage", "lb")) {
            SystemdUnit unit = SystemdUnit.read(units.resolve("elastic-" + role + ".service"));
            Result r = runAsUnit(unit);
            assertThat(r.output()).as(role).contains(role.equals("lb") ? "usage" : "ELASTIC_DATAPATH_SECRET");
            assertThat(unit.restartPreventExitStatus()).as(role + ": " + r.output()).contains(r.status());
        }
        // with the secret but no database, an API instance would keep one of its own (H2)
        Files.writeString(dir.resolve("elastic.conf"), "ELASTIC_DATAPATH_SECRET=s3cret\n", StandardOpenOption.APPEND);
        SystemdUnit api = SystemdUnit.read(units.resolve("elastic-api.service"));
        Result r = runAsUnit(api);
        assertThat(r.output()).contains("SPRING_DATASOURCE_URL");
        assertThat(api.restartPreventExitStatus()).as(r.output()).contains(r.status());
    }

    @Test
    void theApiUnitStartsTheApiFromTheConfigurationFileAndStopsCleanlyOnSigterm() throws Exception {
        Path units = install("api");
        // the unit's user passes through to its data directory, as through /var/lib
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path data = Files.createDirectories(dir.resolve("api"));
        run(List.of("chown", USER + ":", data.toString()), Map.of(), null);
        int port = RunningSystemSupport.freeLoopbackPort();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String namespace = "elastic-test-units-" + run;
        TestInfrastructure.Database database = TestInfrastructure.Database.create("elastic_test_units_" + run);
        try {
            // what an operator sets in the template; ELASTIC_DATA_DIR here only because a test
            // leaves /var/lib alone
            StringBuilder settings = new StringBuilder();
            database.environment().forEach((k, v) -> settings.append(k).append('=').append(v).append('\n'));
            settings.append("ELASTIC_DATAPATH_SECRET=").append(RunningSystemSupport.randomSecret()).append('\n')
                    .append("ELASTIC_ADMIN_PASSWORD=").append(RunningSystemSupport.randomSecret()).append('\n')
                    .append("SERVER_PORT=").append(port).append('\n')
                    .append("SERVER_ADDRESS=127.0.0.1\n")
                    .append("ELASTIC_BUS_RABBITMQ_NAMESPACE=").append(namespace).append('\n')
                    .append("ELASTIC_DATA_DIR=").append(data).append('\n')
                    .append("JAVA_OPTS=").append(System.getProperty("it.javaOpts",
                            "-Xms128m -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1")).append('\n');
            Files.writeString(dir.resolve("elastic.conf"), settings, UTF_8, StandardOpenOption.APPEND);

            SystemdUnit unit = SystemdUnit.read(units.resolve("elastic-api.service"));
            assertThat(unit.value("User")).isEqualTo(USER);
            Path log = RunningSystemSupport.repositoryRoot().resolve("integration-tests/target/system-units-api.log");
            ProcessBuilder pb = new ProcessBuilder(asUser(unit, unit.execStart(unit.environment())))
                    .directory(data.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(unit.environment());
            Process api = pb.start();
            try {
                awaitHealthy(api, port, log);
                api.destroy(); // SIGTERM, as systemctl stop sends it
                assertThat(api.waitFor(unit.timeoutStop().toSeconds(), TimeUnit.SECONDS))
                        .as("stopped within TimeoutStopSec=" + unit.timeoutStop()).isTrue();
                assertThat(unit.successExitStatus()).as("exit status " + api.exitValue() + " counts as clean")
                        .contains(api.exitValue());
                assertThat(Files.readString(log)).contains("Commencing graceful shutdown");
            } finally {
                api.descendants().forEach(ProcessHandle::destroyForcibly);
                api.destroyForcibly();
                api.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            database.drop();
            TestInfrastructure.deleteRabbitNamespace(namespace);
        }
    }

    private void awaitHealthy(Process api, int port, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        Wait.until("the API started by the unit's command answers health UP", START, () -> {
            if (!api.isAlive()) {
                throw new AssertionError("the unit's command ended with status " + api.exitValue() + ":\n" + read(log));
            }
            try {
                HttpResponse<String> r = client.send(health, HttpResponse.BodyHandlers.ofString());
                return r.statusCode() == 200 && r.body().replace(" ", "").contains("\"status\":\"UP\"");
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }, () -> read(log));
    }

    /** deploy/install-units.sh ROLES into this test's directory; answers where the units are. */
    private Path install(String roles) throws Exception {
        Result r = run(installCommand(roles), installEnvironment(), null);
        assertThat(r.status()).as(r.output()).isZero();
        return dir.resolve("units");
    }

    private List<String> installCommand(String roles) {
        return List.of(repo.resolve("deploy/install-units.sh").toString(), roles);
    }

    private Map<String, String> installEnvironment() {
        return Map.of("ELASTIC_SYSTEMD_DIR", dir.resolve("units").toString(),
                "ELASTIC_CONFIG", dir.resolve("elastic.conf").toString(), "ELASTIC_API_USER", USER);
    }

    /**
     * The command as the unit's User= and Group=, without Group= the user's own (as systemd runs
     * it: no supplementary groups).
     */
    private static List<String> asUser(SystemdUnit unit, List<String> command) throws Exception {
        // DynamicUser=: a user of no file's, as nobody is
        String user = unit.service().containsKey("DynamicUser") ? "nobody" : unit.value("User");
        String group = unit.service().containsKey("Group") ? unit.value("Group")
                : run(List.of("id", "-gn", user), Map.of(), null).output().strip();
        List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--clear-groups"));
        all.addAll(command);
        return all;
    }

    private record Result(int status, String output) {
    }

    /** The unit's command as systemd runs it: its user, its environment alone, in this test's directory. */
    private Result runAsUnit(SystemdUnit unit) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(asUser(unit, unit.execStart(unit.environment())));
        pb.environment().clear();
        return run(pb, unit.environment(), dir.toFile());
    }

    private static Result run(List<String> command, Map<String, String> env, File directory) throws Exception {
        return run(new ProcessBuilder(command), env, directory);
    }

    private static Result run(ProcessBuilder pb, Map<String, String> env, File directory) throws Exception {
        pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        List<String> command = pb.command();
        if (directory != null) {
            pb.directory(directory);
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(SCRIPT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " still running after " + SCRIPT);
        }
        return new Result(p.exitValue(), new String(out, UTF_8));
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
