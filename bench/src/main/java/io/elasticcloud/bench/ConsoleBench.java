package io.elasticcloud.bench;

import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.RfbSession;
import io.elasticcloud.it.RunningSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The console benchmark (docs/performance.md "The browser console"): one real QEMU guest (the test
 * guest of deploy/build-test-guest.sh, whose screen echoes keys), watched by two viewers open for
 * the whole run, one directly at its VNC (VNC authentication with the server's password) and one
 * through the API's console proxy (the WebSocket, security None); in alternating rounds:
 * full (non-incremental) framebuffer updates per second and their bytes per second, and the
 * time from a key event to the incremental update that shows its glyph, median and p99. Run by
 * bench/console.sh, which sets {@code bench.dir}, {@code bench.rounds} (3), {@code bench.seconds}
 * (10, each frames round), {@code bench.keys} (100, each latency round) and {@code it.*}.
 */
public final class ConsoleBench {
    private static final String PASSWORD = "s3cr3t";
    /** Frames and bytes per second through the proxy: at least this share of direct's. */
    private static final double MIN_FRAMES_RATIO = 0.8;
    private static final double MAX_MEDIAN_OVERHEAD_MS = 5;
    private static final double MAX_P99_OVERHEAD_MS = 20;
    /** Keys typed on a line before a (untimed) Return starts the next, within the screen's 80 columns. */
    private static final int KEYS_PER_LINE = 60;
    private static final Duration KEY_TIMEOUT = Duration.ofSeconds(5);

    private ConsoleBench() {
    }

    private record Frames(long frames, long bytes, long nanos) {
        double perSecond() {
            return frames / (nanos / 1e9);
        }

        double mibPerSecond() {
            return bytes / 1048576.0 / (nanos / 1e9);
        }
    }

    public static void main(String[] args) throws Exception {
        long begin = System.nanoTime();
        Path dir = Path.of(System.getProperty("bench.dir", "bench/target/console")).toAbsolutePath().normalize();
        int rounds = Integer.getInteger("bench.rounds", 3);
        Duration seconds = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
        int keys = Integer.getInteger("bench.keys", 100);
        if (rounds < 1 || keys < 1 || seconds.isZero()) {
            throw new IllegalArgumentException("rounds, keys and seconds must be at least 1");
        }
        Files.createDirectories(dir);
        System.setProperty("it.logDirectory", dir.toString());
        System.out.println("== elastic-cloud console benchmark, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.print(Shell.run("echo \"machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
                + " $(free -g | awk '/Mem:/{print $2}') GiB RAM; $(qemu-system-x86_64 --version | head -1)\""));
        System.out.println("load average at start: " + Bench.loadAverage() + " (other work on the machine shows here)");
        System.out.printf("settings: %d alternating rounds, frames %d s per round (median kept), %d keys per round%n",
                rounds, seconds.toSeconds(), keys);

        System.out.println("-- the test guest (deploy/build-test-guest.sh, untimed)");
        Path repo = Path.of(System.getProperty("it.repositoryRoot", ".")).toAbsolutePath();
        Path guest = dir.resolve("guest");
        Shell.run(Shell.q(repo.resolve("deploy/build-test-guest.sh")) + " " + Shell.q(guest) + " >/dev/null");

        List<Frames> directFrames = new ArrayList<>();
        List<Frames> proxyFrames = new ArrayList<>();
        List<Long> directKeys = new ArrayList<>();
        List<Long> proxyKeys = new ArrayList<>();
        try (RunningSystem system = RunningSystem.start("bench-console",
                "--elastic.network.pools[0].name=public", "--elastic.network.pools[0].cidr=169.254.11.0/24",
                "--elastic.network.pools[0].first=169.254.11.2", "--elastic.network.pools[0].last=169.254.11.9",
                "--elastic.network.pools[0].vnc-listen-base=127.10.0.0", "--elastic.bus-timeout=180s")) {
            PlainHttp http = system.http();
            String auth = PlainHttp.basic(system.createCustomer());
            String iso = UUID.randomUUID().toString();
            system.importStandardDrive(iso, "bench test guest", guest.resolve("test-guest.iso"), "cdrom");
            PlainHttp.Reply created = http.post("/servers/create", auth, "name console bench\ncpu 1000\nmem 128\nide:0:0 " + iso
                    + "\nide:0:0:media cdrom\nboot ide:0:0\nvnc:password " + PASSWORD + "\n");
            require(created.status() == 200, "create: " + created.describe());
            Map<String, String> server = PlainHttp.parseObject(created.text());
            try {
                RfbSession.awaitTestGuest(system, server.get("server"), Duration.ofMinutes(5));
                try (RfbSession direct = RfbSession.direct(server.get("vnc:ip"), Integer.parseInt(server.get("vnc:port")), PASSWORD)) {
                    System.out.printf("-- the guest's screen %dx%d; waiting for it to echo a key%n", direct.width(), direct.height());
                    awaitEcho(direct);
                    PlainHttp.Reply console = http.post("/servers/" + server.get("server") + "/console", auth, "");
                    require(console.status() == 200, "console: " + console.describe());
                    try (RfbSession proxy = RfbSession.throughProxy(system.baseUri(), PlainHttp.parseObject(console.text()).get("console"))) {
                        System.out.println("-- warm-up (untimed): frames and keys both ways");
                        frames(direct, Duration.ofSeconds(2));
                        frames(proxy, Duration.ofSeconds(2));
                        keys(direct, 10, new ArrayList<>());
                        keys(proxy, 10, new ArrayList<>());
                        for (int round = 1; round <= rounds; round++) {
                            directFrames.add(frames(direct, seconds));
                            proxyFrames.add(frames(proxy, seconds));
                            System.out.printf("  round %d frames: direct %.1f/s %.0f MiB/s, proxy %.1f/s %.0f MiB/s%n", round,
                                    directFrames.get(round - 1).perSecond(), directFrames.get(round - 1).mibPerSecond(),
                                    proxyFrames.get(round - 1).perSecond(), proxyFrames.get(round - 1).mibPerSecond());
                        }
                        for (int round = 1; round <= rounds; round++) {
                            keys(direct, keys, directKeys);
                            keys(proxy, keys, proxyKeys);
                            System.out.printf("  round %d keys: direct median %.1f ms, proxy median %.1f ms (so far)%n", round,
                                    Bench.percentileMillis(directKeys, 50), Bench.percentileMillis(proxyKeys, 50));
                        }
                    }
                }
            } finally {
                http.post("/servers/" + server.get("server") + "/destroy", auth, "");
            }
            Bench.deleteTree(system.dataDir());
        }

        Table table = new Table();
        table.higherBetter("full frames/s through the console proxy", Bench.median(proxyFrames, Frames::perSecond),
                "direct VNC, same guest", Bench.median(directFrames, Frames::perSecond), "%.1f/s", MIN_FRAMES_RATIO);
        table.higherBetter("full-frame bytes/s through the proxy", Bench.median(proxyFrames, Frames::mibPerSecond),
                "direct VNC", Bench.median(directFrames, Frames::mibPerSecond), "%.0f MiB/s", MIN_FRAMES_RATIO);
        table.overhead("key to screen, median of " + proxyKeys.size() + ", proxy", Bench.percentileMillis(proxyKeys, 50),
                "direct VNC", Bench.percentileMillis(directKeys, 50), MAX_MEDIAN_OVERHEAD_MS);
        table.overhead("key to screen, p99 of " + proxyKeys.size() + ", proxy", Bench.percentileMillis(proxyKeys, 99),
                "direct VNC", Bench.percentileMillis(directKeys, 99), MAX_P99_OVERHEAD_MS);
        System.out.printf("%n== results (frames: median of %d rounds; whole run %.0f s)%n%n", rounds,
                (System.nanoTime() - begin) / 1e9);
        System.out.print(table.render());
        System.out.println("\nload average at the end: " + Bench.loadAverage());
        System.out.println(table.missed() == 0 ? "all targets met" : table.missed() + " target(s) missed");
    }

    /** Full screens read back to back for {@code length}. */
    private static Frames frames(RfbSession session, Duration length) throws IOException {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long frames = 0;
        long bytes = 0;
        long now = start;
        while (now < end) {
            bytes += session.fullUpdate();
            frames++;
            now = System.nanoTime();
        }
        return new Frames(frames, bytes, now - start);
    }

    /**
     * {@code count} keys, each timed from its KeyEvent to the update that shows its glyph (an
     * incremental request outstanding, asked again after each update that shows something else:
     * the cursor blinking); the screen read whole before each, so the local copy is current.
     */
    private static void keys(RfbSession session, int count, List<Long> nanos) throws IOException {
        for (int i = 0; i < count; i++) {
            if (i % KEYS_PER_LINE == 0) {
                session.fullUpdate();
                session.key(RfbSession.KEY_RETURN);
                sleep(Duration.ofMillis(300));
            }
            nanos.add(keyToScreen(session));
        }
    }

    private static long keyToScreen(RfbSession session) throws IOException {
        session.fullUpdate();
        session.requestIncremental();
        long start = System.nanoTime();
        session.key(RfbSession.KEY_M);
        while (System.nanoTime() - start < KEY_TIMEOUT.toNanos()) {
            if (session.update().glyphChanged()) {
                return System.nanoTime() - start;
            }
            session.requestIncremental();
        }
        throw new IllegalStateException("no glyph on the screen within " + KEY_TIMEOUT.toSeconds() + " s of a key");
    }

    /** Keys until one shows on the screen: the guest has booted and reads its console (at most 5 minutes). */
    private static void awaitEcho(RfbSession session) throws IOException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            try {
                keyToScreen(session);
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the guest's screen never echoed a key", e);
                }
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }
}
