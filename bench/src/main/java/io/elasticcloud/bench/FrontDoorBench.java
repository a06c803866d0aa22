package io.elasticcloud.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import io.elasticcloud.it.Customer;
import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.RawHttp;
import io.elasticcloud.it.RunningSystem;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The front door under load (docs/performance.md): a customer's {@code GET /drives/UUID/info} p99
 * on a quiet system, then with {@code bench.connections} hostile connections open (a quarter each:
 * idle, headers sent one byte at a time, unauthenticated bodies one byte at a time, a customer's
 * writes one byte at a time; each kind from its own loopback address, reopened when the server
 * closes it), measured in the same run; target: at most twice the quiet p99. Run by
 * bench/frontdoor.sh.
 */
public final class FrontDoorBench {
    private static final double MAX_RATIO = 2.0;
    private static final Duration FEED_EVERY = Duration.ofSeconds(2);
    private static final Duration SETTLE = Duration.ofSeconds(5);
    /** At least this long under load, so that the measurement spans many rounds of the trickles. */
    private static final Duration LOADED_FOR = Duration.ofSeconds(20);

    private FrontDoorBench() {
    }

    /** One hostile connection: how it starts, and what it sends afterwards, a byte at a time. */
    private record Kind(String name, String from, String head) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(System.getProperty("bench.dir", "bench/target/frontdoor")).toAbsolutePath().normalize();
        int connections = Integer.getInteger("bench.connections", 1000);
        int calls = Integer.getInteger("bench.calls", 400);
        Files.createDirectories(dir);
        System.setProperty("it.logDirectory", dir.toString());
        System.out.println("== elastic-cloud front door benchmark, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.print(Shell.run("echo \"machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
                + " $(free -g | awk '/Mem:/{print $2}') GiB RAM\""));
        System.out.println("load average at start: " + Bench.loadAverage() + " (other work on the machine shows here)");
        System.out.printf("settings: %d hostile connections, %d sequential calls per figure%n", connections, calls);
        try (RunningSystem system = RunningSystem.start("bench-front-door", "--elastic.agent.enabled=false")) {
            RawHttp raw = new RawHttp(system.baseUri());
            Customer victim = system.createCustomer();
            Customer attacker = system.createCustomer();
            String info = RawHttp.get("/drives/" + createDrive(system, victim) + "/info", PlainHttp.basic(victim));
            String writes = "/drives/" + createDrive(system, attacker) + "/write/0";
            p99(raw, info, calls / 4, Duration.ZERO); // warm-up
            double quiet = p99(raw, info, calls, Duration.ZERO);
            System.out.printf("  quiet: p99 %.2f ms%n", quiet);

            List<Kind> kinds = List.of(
                    new Kind("idle", "127.0.0.80", ""),
                    new Kind("headers a byte at a time", "127.0.0.81", "GET /drives/list HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "),
                    new Kind("unauthenticated bodies", "127.0.0.82", RawHttp.postHead("/drives/create", null, 100_000)),
                    new Kind("a customer's writes", "127.0.0.83", RawHttp.postHead(writes, PlainHttp.basic(attacker), 1_000_000)));
            Hostile hostile = new Hostile(raw, kinds, connections / kinds.size());
            double loaded;
            try {
                hostile.openAll();
                System.out.printf("  %d hostile connections open: %d each of %s%n", hostile.open(),
                        connections / kinds.size(), kinds.stream().map(Kind::name).toList());
                Thread.sleep(SETTLE.toMillis()); // a few rounds of trickles, refusals and reconnections first
                loaded = p99(raw, info, calls, LOADED_FOR);
                System.out.printf("  under load (after %d s, for at least %d s): p99 %.2f ms; the server closed and the"
                        + " clients reopened %d connections meanwhile%n", SETTLE.toSeconds(), LOADED_FOR.toSeconds(), loaded,
                        hostile.reopened);
            } finally {
                hostile.stop();
            }
            Bench.deleteTree(system.dataDir());
            System.out.printf("%n== result%n%ncustomer GET /drives/UUID/info p99: quiet %.2f ms, with %d hostile connections"
                    + " %.2f ms, ratio %.2f (target ≤ %.1f): %s%n", quiet, connections, loaded, loaded / quiet, MAX_RATIO,
                    loaded / quiet <= MAX_RATIO ? "met" : "missed");
            System.out.println("load average at the end: " + Bench.loadAverage());
        }
    }

    private static String createDrive(RunningSystem system, Customer c) {
        PlainHttp.Reply r = system.http().post("/drives/create", PlainHttp.basic(c), "name bench\nsize 64M\n");
        if (r.status() != 200) {
            throw new IllegalStateException("drive create: " + r.describe());
        }
        return PlainHttp.parseObject(r.text()).get("drive");
    }

    /**
     * The 99th percentile, in ms, of sequential calls from 127.0.0.1 (each must be 200): at least
     * {@code calls}, and on until {@code atLeast} has passed (at most 100 times {@code calls}).
     */
    private static double p99(RawHttp raw, String request, int calls, Duration atLeast) {
        List<Double> ms = new ArrayList<>();
        long until = System.nanoTime() + atLeast.toNanos();
        for (int i = 0; i < calls * 100 && (i < calls || System.nanoTime() < until); i++) {
            RawHttp.Answer a = raw.exchange("127.0.0.1", request, Duration.ofSeconds(30));
            if (a.status() != 200) {
                throw new IllegalStateException("the customer's call answered " + a.describe());
            }
            ms.add(a.millis());
        }
        Collections.sort(ms);
        return ms.get((int) Math.ceil(ms.size() * 0.99) - 1);
    }

    /** The hostile connections, and the thread that feeds each a byte every two seconds. */
    private static final class Hostile {
        private final RawHttp raw;
        private final List<Kind> kinds;
        private final int perKind;
        private final List<Socket> sockets = new ArrayList<>();
        private final List<Kind> kindOf = new ArrayList<>();
        private final Thread feeder = new Thread(this::feed, "hostile-feeder");
        private volatile boolean running = true;
        private long reopened;

        Hostile(RawHttp raw, List<Kind> kinds, int perKind) {
            this.raw = raw;
            this.kinds = kinds;
            this.perKind = perKind;
        }

        void openAll() {
            for (Kind k : kinds) {
                for (int i = 0; i < perKind; i++) {
                    synchronized (this) {
                        sockets.add(connect(k));
                        kindOf.add(k);
                    }
                }
            }
            feeder.setDaemon(true);
            feeder.start();
        }

        synchronized int open() {
            return (int) sockets.stream().filter(s -> !s.isClosed()).count();
        }

        private Socket connect(Kind k) {
            Socket s = raw.open(k.from(), Duration.ofSeconds(1));
            try {
                s.getOutputStream().write(k.head().getBytes(ISO_8859_1));
            } catch (IOException e) {
                RawHttp.close(s);
            }
            return s;
        }

        /** A byte to each, every two seconds; one the server closed is opened again. Bounded by stop(). */
        private void feed() {
            for (int round = 0; round < 10_000 && running; round++) {
                try {
                    Thread.sleep(FEED_EVERY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (this) {
                    for (int i = 0; i < sockets.size() && running; i++) {
                        Kind k = kindOf.get(i);
                        if (k.head().isEmpty()) {
                            continue; // idle: sends nothing, ever
                        }
                        try {
                            sockets.get(i).getOutputStream().write('x');
                        } catch (IOException closedByTheServer) {
                            RawHttp.close(sockets.get(i));
                            try {
                                sockets.set(i, connect(k));
                                reopened++;
                            } catch (RuntimeException e) {
                                // no connection this round: tried again at the next
                            }
                        }
                    }
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            feeder.interrupt();
            feeder.join(10_000);
            synchronized (this) {
                sockets.forEach(RawHttp::close);
            }
        }
    }
}
