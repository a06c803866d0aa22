package io.elasticcloud.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built command-line tool run as a customer runs it: {@code cli/elastic} (the launcher script,
 * which runs {@code cli/target/elastic-cli.jar}) as a child process, with {@code EHURI} and
 * {@code EHAUTH} in its environment, a HOME of its own (no config file), standard output and error
 * in files. Every run is bounded.
 */
public final class Cli {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    /** One finished run. */
    public record Result(int exit, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, UTF_8);
        }

        public String describe() {
            return "exit " + exit + ", stdout: " + (stdout.length > 300 ? stdout.length + " bytes" : out())
                    + ", stderr:\n" + stderr;
        }
    }

    private final Path launcher;
    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();

    public Cli(RunningSystem system, Customer customer, Path workDir) {
        Path root = RunningSystemSupport.repositoryRoot();
        this.launcher = root.resolve("cli/elastic");
        Path jar = root.resolve("cli/target/elastic-cli.jar");
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing: run with mvn -pl integration-tests -am verify");
        }
        this.workDir = workDir;
        env.put("EHURI", system.baseUri() + "/");
        env.put("EHAUTH", customer.uuid() + ":" + customer.key());
        env.put("HOME", workDir.toString());
    }

    public Path launcher() {
        return launcher;
    }

    public Map<String, String> environment() {
        return env;
    }

    public Cli with(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Result run(String... args) {
        return run(null, args);
    }

    /** Runs the tool with {@code stdin} (a file, or null for /dev/null) and waits for it. */
    public Result run(Path stdin, String... args) {
        Process p = start(stdin, args);
        return await(p);
    }

    /** Starts the tool; output goes to files read by {@link #await}. */
    public Process start(Path stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(workDir, "cli-", ".out");
            Path err = Files.createTempFile(workDir, "cli-", ".err");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                            : ProcessBuilder.Redirect.from(stdin.toFile()));
            pb.environment().remove("EHURI");
            pb.environment().remove("EHAUTH");
            pb.environment().remove("COLUMNS");
            pb.environment().putAll(env);
            Process process = pb.start();
            outputs.put(process, new Path[] {out, err});
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Map<Process, Path[]> outputs = new HashMap<>();

    public Result await(Process p) {
        try {
            if (!p.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("elastic still running after " + RUN_TIMEOUT);
            }
            Path[] files = outputs.remove(p);
            return new Result(p.exitValue(), Files.readAllBytes(files[0]), Files.readString(files[1], UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
