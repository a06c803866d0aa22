package io.elasticcloud.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The customer's command-line tool ({@code cli/elastic}, the built jar) against the running
 * system: upload and download byte-identical (random data and long zero runs, a sparse file
 * back), an upload killed with SIGKILL and resumed, the errors a customer meets (wrong key, missing
 * drive, a file larger than its drive), and the progress output: a bar in a real terminal (tmux,
 * its pane captured as text) and plain lines elsewhere.
 */
class CliTest {
    private static final int MIB = 1024 * 1024;
    private static final Pattern UUID = RunningSystem.UUID;
    /** The bar as drawn on a 100-column terminal. */
    private static final Pattern BAR = Pattern.compile(
            "upload +(\\d+)% \\[(#*)>? *\\] [0-9.]+ [KMG]?i?B/[0-9.]+ MiB +[0-9.]+ [KMG]?i?B/s +(\\d+:\\d\\d|--:--) left");

    private static RunningSystem system;
    private static Customer customer;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSystem() {
        system = RunningSystem.start("cli");
        customer = system.createCustomer();
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    private Cli cli() {
        return new Cli(system, customer, dir);
    }

    /** Random stretches and long zero runs at unaligned places, ending in a short chunk. */
    private Path imageFile(String name, long seed, int randomMib) throws IOException {
        Path f = dir.resolve(name);
        Random r = new Random(seed);
        try (OutputStream out = Files.newOutputStream(f)) {
            for (int i = 0; i < randomMib; i += 3) {
                byte[] data = new byte[3 * MIB + r.nextInt(MIB)];
                r.nextBytes(data);
                out.write(data);
                out.write(new byte[9 * MIB + r.nextInt(MIB)]); // a long zero run: two chunks or more
            }
            byte[] tail = new byte[12345];
            r.nextBytes(tail);
            out.write(tail);
        }
        return f;
    }

    @Test
    void uploadThenDownloadIsByteIdentical() throws Exception {
        Path image = imageFile("image.raw", 1, 12);
        Cli.Result up = cli().run("drives", "upload", image.toString());
        assertThat(up.exit()).as(up.describe()).isZero();
        String drive = up.out().strip();
        assertThat(drive).matches(UUID);
        assertThat(up.stderr()).contains("created drive " + drive, "of zeros skipped", "(verified)",
                "sha256 " + sha256(image));

        Cli.Result info = cli().run("drives", "info", drive);
        assertThat(info.exit()).as(info.describe()).isZero();
        assertThat(info.out()).contains("size " + Files.size(image) + "\n", "name image.raw\n");

        Path back = dir.resolve("image.back");
        Cli.Result down = cli().run("drives", "download", drive, back.toString());
        assertThat(down.exit()).as(down.describe()).isZero();
        assertThat(Files.mismatch(image, back)).as("first differing byte").isEqualTo(-1L);
        assertThat(down.stderr()).contains("sha256 " + sha256(image));
        // zero chunks are holes in the file written
        assertThat(allocatedBytes(back)).isLessThan(Files.size(back) * 2 / 3);
        assertThat(dir.resolve("image.raw.elastic-upload")).doesNotExist();
        assertThat(dir.resolve("image.back.elastic-download")).doesNotExist();
    }

    @Test
    void anUploadKilledAndResumedIsByteIdentical() throws Exception {
        Path image = imageFile("killed.raw", 2, 24);
        Path state = dir.resolve("killed.raw.elastic-upload");
        Cli c = cli();
        // slow enough to be caught in the middle: 4 MiB/s on the wire
        Process p = c.start(null, "drives", "upload", image.toString(), "--limit-rate", "4M", "--parallel", "2");
        long done = awaitDoneChunks(p, state, 3, Duration.ofSeconds(90));
        p.destroyForcibly(); // SIGKILL: the launcher exec's java, so this is the tool itself
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(137);
        assertThat(state).exists();
        Map<String, String> s = stateFields(state);
        String drive = s.get("drive");
        long total = (Files.size(image) + 4 * MIB - 1) / (4 * MIB);
        assertThat(Long.parseLong(s.get("done"))).isBetween(done, total - 1);

        Cli.Result resumed = c.run("drives", "upload", image.toString(), "--resume");
        assertThat(resumed.exit()).as(resumed.describe()).isZero();
        assertThat(resumed.out().strip()).isEqualTo(drive);
        assertThat(resumed.stderr()).contains("resuming the upload into " + drive, "done before", "(verified)");
        assertThat(state).doesNotExist();

        Path back = dir.resolve("killed.back");
        Cli.Result down = c.run("drives", "download", drive, back.toString());
        assertThat(down.exit()).as(down.describe()).isZero();
        assertThat(Files.mismatch(image, back)).as("first differing byte").isEqualTo(-1L);
    }

    @Test
    void wrongCredentialsAreAClearErrorAndTheKeyIsNotShown() {
        String wrongKey = "not-" + customer.key();
        Cli.Result r = cli().with("EHAUTH", customer.uuid() + ":" + wrongKey).run("drives", "list");
        assertThat(r.exit()).isEqualTo(11);
        assertThat(r.stderr()).startsWith("elastic: auth: ").doesNotContain(wrongKey).doesNotContain(customer.key());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMissingDriveIsAClearError() throws IOException {
        String none = java.util.UUID.randomUUID().toString();
        Cli c = cli();
        for (String[] args : new String[][] {
                {"drives", "info", none},
                {"drives", "download", none, dir.resolve("nothing").toString()},
                {"drives", "upload", imageFile("small.raw", 3, 1).toString(), none}}) {
            Cli.Result r = c.run(args);
            assertThat(r.exit()).as(String.join(" ", args) + ": " + r.describe()).isEqualTo(13);
            assertThat(r.stderr()).as(String.join(" ", args)).startsWith("elastic: missing: ").contains(none);
        }
    }

    @Test
    void aFileLargerThanItsDriveIsAClearErrorAndNothingIsWritten() throws IOException {
        Cli c = cli();
        Cli.Result created = c.run("drives", "create", "name", "small", "size", "4M");
        assertThat(created.exit()).as(created.describe()).isZero();
        String drive = created.out().lines().filter(l -> l.startsWith("drive ")).findFirst().orElseThrow()
                .substring(6);
        Path big = dir.resolve("big.raw");
        Files.write(big, TestBytes.random(4, 6 * MIB));
        Cli.Result r = c.run("drives", "upload", big.toString(), drive);
        assertThat(r.exit()).as(r.describe()).isEqualTo(18);
        assertThat(r.stderr()).startsWith("elastic: full: ").contains("big.raw", drive, "nothing was written");

        Cli.Result read = c.run("drives", "read", drive, "0", "4M");
        assertThat(read.exit()).isZero();
        assertThat(read.stdout()).hasSize(4 * MIB);
        assertThat(TestBytes.allZero(read.stdout())).isTrue();
    }

    @Test
    void keysFromStandardInputAndJsonOutput() throws IOException {
        Path keys = dir.resolve("keys");
        Files.writeString(keys, "name from stdin\r\nsize 1M\r\ntags a b\r\n");
        Cli c = cli();
        Cli.Result created = c.run(keys, "-j", "drives", "create");
        assertThat(created.exit()).as(created.describe()).isZero();
        assertThat(created.out()).contains("\"name\":\"from stdin\"", "\"size\":1048576", "\"tags\":\"a b\"");
        Matcher m = UUID.matcher(created.out());
        assertThat(m.find()).isTrue();
        Cli.Result list = c.run("drives", "list");
        assertThat(list.out().lines()).contains(m.group());
    }

    @Test
    void serverAndResourceCallsShowWhatTheApiAnswers() {
        Cli c = cli();
        for (String[] args : new String[][] {{"servers", "list"}, {"servers", "info"}, {"resources", "list"}}) {
            Cli.Result r = c.run(args);
            PlainHttp.Reply direct = system.http().get("/" + args[0] + "/" + args[1], PlainHttp.basic(customer));
            if (direct.status() == 200) {
                assertThat(r.exit()).as(r.describe()).isZero();
                assertThat(r.out().strip()).isEqualTo(direct.text().strip());
            } else {
                String type = direct.header("X-Elastic-Error").orElseThrow();
                assertThat(r.stderr()).as(String.join(" ", args)).isEqualTo("elastic: " + type + ": "
                        + direct.text().strip().lines().findFirst().orElse("") + "\n");
                assertThat(r.exit()).isNotZero();
            }
        }
    }

    @Test
    void theProgressBarIsDrawnInATerminal() throws Exception {
        Path tmux = Path.of("/usr/bin/tmux");
        if (!Files.isExecutable(tmux)) {
            fail("tmux is needed for this test and is missing: apt-get install tmux (deploy/install-deps.sh)");
        }
        Path image = dir.resolve("bar.raw");
        Files.write(image, TestBytes.random(5, 24 * MIB));
        String socket = "elastic-cli-it-" + ProcessHandle.current().pid();
        Cli c = cli();
        StringBuilder command = new StringBuilder();
        c.environment().forEach((k, v) -> command.append(k).append('=').append(shellQuote(v)).append(' '));
        command.append(c.launcher()).append(" drives upload ").append(image).append(" --limit-rate 6M --no-verify")
                .append("; echo EXIT=$?; sleep 120");
        tmux(socket, "-f", "/dev/null", "new-session", "-d", "-s", "cli", "-x", "100", "-y", "12",
                "env " + command);
        try {
            List<String> bars = new ArrayList<>();
            String pane = "";
            Instant deadline = Instant.now().plusSeconds(120);
            while (Instant.now().isBefore(deadline) && !pane.contains("EXIT=")) {
                pane = tmux(socket, "capture-pane", "-p", "-t", "cli");
                pane.lines().filter(l -> BAR.matcher(l).find()).forEach(bars::add);
                Thread.sleep(150);
            }
            assertThat(pane).as("the pane:\n" + pane).contains("EXIT=0");
            // seen while it ran: a bar part of the way, drawn in place (one line, not one per update)
            assertThat(bars).as("bars seen").isNotEmpty();
            assertThat(bars).anySatisfy(b -> {
                Matcher m = BAR.matcher(b);
                assertThat(m.find()).isTrue();
                assertThat(Integer.parseInt(m.group(1))).isBetween(1, 99);
            });
            List<String> finalBars = pane.lines().filter(l -> BAR.matcher(l).find()).toList();
            assertThat(finalBars).as("the pane:\n" + pane).hasSize(1);
            String last = finalBars.get(0);
            assertThat(last).startsWith("upload 100% [####").contains("] 24.0 MiB/24.0 MiB");
            assertThat(last.length()).isLessThanOrEqualTo(99);
            assertThat(pane).contains("upload: 24.0 MiB in ");
        } finally {
            tmux(socket, "kill-server");
        }
    }

    @Test
    void progressElsewhereIsPlainLines() throws IOException {
        Path image = dir.resolve("lines.raw");
        Files.write(image, TestBytes.random(6, 16 * MIB));
        Cli.Result r = cli().run("drives", "upload", image.toString(), "--limit-rate", "4M");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.stderr()).doesNotContain("\r").doesNotContain("\033").doesNotContain("[#");
        List<String> lines = r.stderr().lines().toList();
        Pattern line = Pattern.compile("(upload|verify): (\\d+% [0-9.]+ [KMG]?i?B of [0-9.]+ MiB, [0-9.]+ [KMG]?i?B/s"
                + "(, \\d+ s left)?|[0-9.]+ MiB in [0-9.]+ s, [0-9.]+ [KMG]?i?B/s)");
        assertThat(lines).allSatisfy(l -> assertThat(l.startsWith("elastic: ") || line.matcher(l).matches())
                .as(l).isTrue());
        assertThat(lines.stream().filter(l -> l.startsWith("upload: ") && l.contains("%"))).hasSizeGreaterThan(1);
    }

    private static long awaitDoneChunks(Process p, Path state, long atLeast, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new AssertionError("the upload ended (exit " + p.exitValue() + ") before it could be killed");
            }
            if (Files.exists(state)) {
                try {
                    String done = stateFields(state).get("done");
                    if (done != null && Long.parseLong(done) >= atLeast) {
                        return Long.parseLong(done);
                    }
                } catch (IOException racedWithRename) {
                    // read again
                }
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new AssertionError("fewer than " + atLeast + " chunks done within " + timeout);
    }

    private static Map<String, String> stateFields(Path state) throws IOException {
        Map<String, String> m = new java.util.HashMap<>();
        for (String l : Files.readAllLines(state, UTF_8)) {
            int sp = l.indexOf(' ');
            if (!l.startsWith("#") && sp > 0) {
                m.putIfAbsent(l.substring(0, sp), l.substring(sp + 1));
            }
        }
        return m;
    }

    private static String tmux(String socket, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tmux " + String.join(" ", args) + " did not return");
        }
        return new String(out, UTF_8);
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static long allocatedBytes(Path f) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", f.toString()).redirectErrorStream(true).start();
        String[] out = new String(p.getInputStream().readAllBytes(), UTF_8).trim().split(" ");
        p.waitFor(10, TimeUnit.SECONDS);
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }

    private static String sha256(Path f) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(Files.readAllBytes(f));
        return HexFormat.of().formatHex(md.digest());
    }
}
