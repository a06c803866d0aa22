package io.elasticcloud.storage.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.datapath.DataPathConfiguration;
import io.elasticcloud.protocol.datapath.DataPathTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator's own {@code deploy/internal-ca.sh}, run into a test's directories: one CA per
 * instance, the files of a host ({@code keystore.p12}, {@code password}, {@code ca.pem}) where asked.
 */
public final class InternalCa {
    private final Path script;
    private final Path caDir;

    private InternalCa(Path script, Path caDir) {
        this.script = script;
        this.caDir = caDir;
    }

    /** Makes a new CA in {@code dir}. */
    public static InternalCa create(Path dir) throws Exception {
        InternalCa ca = new InternalCa(script(), dir);
        ca.run("ca", "--ca-dir", dir.toString());
        return ca;
    }

    public Path dir() {
        return caDir;
    }

    /** Issues (or keeps, as the script decides) the files of a host for {@code names} into {@code out}. */
    public Path host(Path out, String... names) throws Exception {
        return host(out, List.of(), names);
    }

    public Path host(Path out, List<String> options, String... names) throws Exception {
        List<String> args = new ArrayList<>(List.of("host"));
        args.addAll(List.of(names));
        args.addAll(List.of("--ca-dir", caDir.toString(), "--out", out.toString()));
        args.addAll(options);
        run(args.toArray(String[]::new));
        return out;
    }

    /** The {@code elastic.data-path.tls.*} of a host's files. */
    public static DataPathConfiguration.Tls settings(Path host) {
        return new DataPathConfiguration.Tls(host.resolve("keystore.p12"), host.resolve("password"), host.resolve("ca.pem"));
    }

    public static DataPathTls tls(Path host) throws IOException {
        return DataPathTls.of(settings(host));
    }

    /** Runs the script, which must succeed; its output. */
    public String run(String... args) throws Exception {
        Result r = script(args);
        assertThat(r.exit()).as("internal-ca.sh %s: %s", String.join(" ", args), r.output()).isZero();
        return r.output();
    }

    /** What a run of the script ended with. */
    public record Result(int exit, String output) {
    }

    /** Runs the script with any arguments. */
    public static Result script(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", script().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("internal-ca.sh " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Path script() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path script = p.resolve("deploy/internal-ca.sh");
            if (Files.isRegularFile(script)) {
                return script;
            }
        }
        throw new IllegalStateException("deploy/internal-ca.sh is not above " + Path.of("").toAbsolutePath());
    }
}
