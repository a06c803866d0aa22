package io.elasticcloud.bench;

import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.RunningSystem;
import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.storage.volume.FileVolumeBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Encrypted drives created per second by concurrent clients ({@code POST /drives/create}, one
 * customer), measured after each number of existing drives, beside the disk work alone: the same
 * number of volumes made by the storage service's own {@link FileVolumeBackend#create} in this
 * process, as many threads as clients, on the same disk. The rate must reach its target and must
 * not fall as the drives grow in number. Run by bench/creates.sh, which sets {@code bench.dir},
 * {@code bench.clients} (16), {@code bench.creates} (creations per measurement, 500),
 * {@code bench.existing} (the steps, {@code 100,2000}), {@code bench.size} ({@code 1M}) and
 * {@code it.*} for the system.
 */
public final class DriveCreateBench {
    private static final double TARGET_PER_SECOND = 100;
    /** Not falling: the last step's rate against the first's. */
    private static final double FLAT = 0.8;
    private static final int WARM_UP = 300;

    private DriveCreateBench() {
    }

    public static void main(String[] args) throws Exception {
        long begin = System.nanoTime();
        Path dir = Path.of(System.getProperty("bench.dir", "bench/target/creates")).toAbsolutePath().normalize();
        int clients = Integer.getInteger("bench.clients", 16);
        int creates = Integer.getInteger("bench.creates", 500);
        String size = System.getProperty("bench.size", "1M");
        List<Integer> steps = new ArrayList<>();
        for (String s : System.getProperty("bench.existing", "100,2000").split(",")) {
            steps.add(Integer.parseInt(s.strip()));
        }
        if (clients < 1 || creates < 1 || steps.isEmpty()) {
            throw new IllegalArgumentException("clients, creates and steps must be at least 1");
        }
        Files.createDirectories(dir);
        System.setProperty("it.logDirectory", dir.toString());
        System.out.println("== elastic-cloud encrypted drive creation, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.print(Shell.run("echo \"machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
                + " $(free -g | awk '/Mem:/{print $2}') GiB RAM; disk: $(df -hT " + Shell.q(dir)
                + " | awk 'NR==2{print $1\" \"$2}')\""));
        System.out.println("load average at start: " + Bench.loadAverage() + " (other work on the machine shows here)");
        System.out.printf("settings: %d clients, %d creations per figure, drives of %s, steps %s%n", clients, creates, size, steps);

        double alone = diskWorkAlone(dir, clients, creates, size);
        System.out.printf("  the disk work alone (FileVolumeBackend.create, %d threads): %.1f/s%n", clients, alone);

        Table table = new Table();
        List<Double> rates = new ArrayList<>();
        // one customer holds every drive: its quotas must not be what is measured
        Path data;
        try (RunningSystem system = RunningSystem.start("bench-creates", "--elastic.quota.drives=1000000",
                "--elastic.quota.disk=100TB")) {
            data = system.dataDir();
            String auth = PlainHttp.basic(system.createCustomer());
            warmUp(system.http(), auth, clients, size);
            int existing = 0;
            for (int step : steps) {
                if (step > existing) {
                    Rate fill = createDrives(system.http(), auth, clients, step - existing, size);
                    System.out.printf("  filled %d -> %d drives: %s%n", existing, step, fill);
                    existing = step;
                }
                Rate rate = createDrives(system.http(), auth, clients, creates, size);
                existing += creates;
                System.out.printf("  after %d drives: %s%n", step, rate);
                rates.add(rate.perSecond());
                table.informative("encrypted drives created/s, " + clients + " clients, after " + step + " drives",
                        rate.perSecond(), "FileVolumeBackend.create alone, " + clients + " threads", alone, "%.1f/s");
            }
        }
        // once stopped: thousands of files, and nothing may add one while they go
        Bench.deleteTree(data);
        table.higherBetter("creates/s after " + steps.get(steps.size() - 1) + " drives", rates.get(rates.size() - 1),
                "the same after " + steps.get(0), rates.get(0), "%.1f/s", FLAT);
        boolean flat = rates.get(rates.size() - 1) >= FLAT * rates.get(0);
        boolean fast = rates.stream().allMatch(r -> r >= TARGET_PER_SECOND);
        System.out.printf("%n== results (whole run %.0f s; target: at least %.0f/s at every step, the last step at least"
                + " %.1f of the first)%n%n", (System.nanoTime() - begin) / 1e9, TARGET_PER_SECOND, FLAT);
        System.out.print(table.render());
        System.out.println("\nload average at the end: " + Bench.loadAverage());
        System.out.println("rate at least " + TARGET_PER_SECOND + "/s: " + (fast ? "met" : "MISSED")
                + "; not falling with the count: " + (flat ? "met" : "MISSED"));
    }

    record Rate(double perSecond, int done, long millis) {
        @Override
        public String toString() {
            return String.format("%.1f/s (%d in %d ms)", perSecond, done, millis);
        }
    }

    /**
     * Drives created and destroyed again, untimed, so that the figures are of a system whose JIT has
     * compiled the path (as after some time in service) and whose node holds no drive yet.
     */
    private static void warmUp(PlainHttp http, String auth, int clients, String size) throws Exception {
        java.util.Queue<String> made = new java.util.concurrent.ConcurrentLinkedQueue<>();
        String body = "name bench warm-up\nsize " + size + "\n";
        parallel(clients, WARM_UP, () -> {
            PlainHttp.Reply r = http.post("/drives/create", auth, body);
            if (r.status() != 200) {
                throw new IllegalStateException("create answered " + r.describe());
            }
            made.add(PlainHttp.parseObject(r.text()).get("drive"));
        });
        Rate destroyed = parallel(clients, made.size(), () -> {
            PlainHttp.Reply r = http.post("/drives/" + made.remove() + "/destroy", auth, (byte[]) null);
            if (r.status() != 204) {
                throw new IllegalStateException("destroy answered " + r.describe());
            }
        });
        System.out.printf("  warm-up: %d drives created and destroyed again (destroys: %s)%n", WARM_UP, destroyed);
    }

    /** {@code count} encrypted drives created by {@code clients} clients; every one must succeed. */
    private static Rate createDrives(PlainHttp http, String auth, int clients, int count, String size) throws Exception {
        String body = "name bench create\nsize " + size + "\n";
        return parallel(clients, count, () -> {
            PlainHttp.Reply r = http.post("/drives/create", auth, body);
            if (r.status() != 200) {
                throw new IllegalStateException("create answered " + r.describe());
            }
        });
    }

    /** The same number of encrypted volumes made by the storage backend alone, on the same disk. */
    static double diskWorkAlone(Path dir, int threads, int count, String size) throws Exception {
        Path pool = Files.createTempDirectory(dir, "alone-");
        long bytes = io.elasticcloud.codec.Sizes.parse(size);
        try (FileVolumeBackend backend = new FileVolumeBackend(pool, MasterKey.random(), 256)) {
            // warm-up: the JIT compiles PBKDF2 and the AF split, as in the system's first creates
            parallel(threads, 50, () -> backend.create("w" + UUID.randomUUID(), bytes, Cipher.AES_XTS_PLAIN, null));
            return parallel(threads, count, () -> backend.create("v" + UUID.randomUUID(), bytes, Cipher.AES_XTS_PLAIN, null))
                    .perSecond();
        } finally {
            Bench.deleteTree(pool);
        }
    }

    interface Call {
        void run() throws Exception;
    }

    /** {@code count} calls over {@code threads} threads, timed from the first start to the last end. */
    static Rate parallel(int threads, int count, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger left = new AtomicInteger(count);
        long start = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    while (left.getAndDecrement() > 0) {
                        call.run();
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Rate(count * 1000.0 / Math.max(1, millis), count, millis);
    }
}
