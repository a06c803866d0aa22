package io.elasticcloud.bench;

import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.RunningSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * The drives benchmarks (docs/performance.md): each figure beside its baseline, measured in the same
 * run on the same disk, as a table. Run by bench/run.sh, which builds and sets the properties:
 * {@code bench.dir} (data directory, temp files; default bench/target/run), {@code bench.repeats}
 * (3), {@code bench.inFlight} (4), {@code bench.httpSeconds} (10), {@code bench.tmpfs} (/dev/shm),
 * {@code bench.seed}, and {@code it.*} for the system (RunningSystem's settings).
 */
public final class Bench {

    record Settings(Path dir, int repeats, int inFlight, int httpSeconds, Path tmpfs, long seed) {
        static Settings fromProperties() {
            Path dir = Path.of(System.getProperty("bench.dir", "bench/target/run")).toAbsolutePath().normalize();
            return new Settings(dir,
                    Integer.getInteger("bench.repeats", 3),
                    Integer.getInteger("bench.inFlight", 4),
                    Integer.getInteger("bench.httpSeconds", 10),
                    Path.of(System.getProperty("bench.tmpfs", "/dev/shm")),
                    Long.getLong("bench.seed", 20240601L));
        }
    }

    private final Settings settings;
    private final Table table = new Table();

    private Bench(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.fromProperties();
        if (s.repeats() < 1 || s.inFlight() < 1 || s.httpSeconds() < 1) {
            throw new IllegalArgumentException("repeats, inFlight and httpSeconds must be at least 1: " + s);
        }
        new Bench(s).run();
    }

    private void run() throws IOException {
        long begin = System.nanoTime();
        Files.createDirectories(settings.dir());
        System.setProperty("it.logDirectory", settings.dir().toString());
        removeLeftovers();
        System.out.println("== elastic-cloud drive benchmarks, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.print(Shell.run("echo \"machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
                + " $(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r)\"\n"
                + "echo \"disk: $(df -hT " + Shell.q(settings.dir()) + " | awk 'NR==2{print $1\" \"$2\", \"$3\" (\"$5\" free)\"}')"
                + " holds " + settings.dir() + "\"\n"
                + "echo \"tools: $(gzip --version | head -1), $(qemu-img --version | head -1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2),"
                + " java $(java -version 2>&1 | head -1 | cut -d'\"' -f2)\""));
        System.out.println("load average at start: " + loadAverage() + " (other work on the machine shows here)");
        System.out.printf("settings: %d repeats (median kept), %d requests in flight, wrk %d s x %d connections, tmpfs %s, "
                + "system JAVA_OPTS '%s'%n", settings.repeats(), settings.inFlight(), settings.httpSeconds(), Wrk.CONNECTIONS,
                settings.tmpfs(), System.getProperty("it.javaOpts", "(RunningSystem's default)"));

        System.out.println("-- key check (in this JVM, the service's classes)");
        Path scratch = Files.createTempDirectory(settings.dir(), "keycheck-");
        KeyCheck.Result keys;
        try {
            keys = KeyCheck.measure(scratch);
        } finally {
            deleteTree(scratch);
        }
        System.out.printf("  ApiKeys.matches %.2f us, AdminCredentials PBKDF2 check %.1f ms%n",
                keys.apiKeyNanos() / 1e3, keys.pbkdf2Nanos() / 1e6);

        System.out.println("-- preparing the data (untimed)");
        long t = System.nanoTime();
        DataSet data = DataSet.prepare(settings.seed(), settings.dir().resolve("data.gz"));
        System.out.printf("  %s (%.1f s)%n", data.describe(), (System.nanoTime() - t) / 1e9);

        RunningSystem system = null;
        List<DataPaths> results = new ArrayList<>();
        List<Wrk.Result> ping = new ArrayList<>();
        List<Wrk.Result> info = new ArrayList<>();
        try {
            System.out.println("-- starting the system (deploy/run-single-host.sh), log " + settings.dir().resolve("system-bench.log"));
            system = RunningSystem.start("bench");
            String auth = PlainHttp.basic(system.createCustomer());
            String standard = UUID.randomUUID().toString();
            t = System.nanoTime();
            system.importStandardDrive(standard, "bench gzipped image", data.concatenated(), "disk");
            System.out.printf("  imported the gzipped GiB as standard drive %s (%.1f s, untimed)%n", standard,
                    (System.nanoTime() - t) / 1e9);
            for (String cipher : List.of("none", "aes-xts-plain")) {
                System.out.println("-- data paths, encryption:cipher " + cipher);
                DataPaths d = new DataPaths(settings, system, auth, data, cipher, standard);
                d.run();
                results.add(d);
            }
            System.out.println("-- requests at " + Wrk.CONNECTIONS + " connections (wrk)");
            httpFigures(system, auth, ping, info);
        } finally {
            if (system != null) {
                system.close();
                deleteTree(system.dataDir());
            }
            Files.deleteIfExists(data.concatenated());
        }

        for (DataPaths d : results) {
            String c = d == results.get(0) ? "none" : "aes-xts-plain";
            String pipe = c.equals("none") ? "gunzip piped to dd conv=fsync" : "gunzip > tmpfs, qemu-img convert -t none to LUKS";
            table.throughput("upload 1 GiB, gzip 4 MiB chunks, " + c, d.upload, pipe, d.uploadBaseline, 0.70);
            table.throughput("download 1 GiB, 4 MiB reads, " + c, d.download,
                    c.equals("none") ? "dd bs=4M" : "qemu-img convert out of LUKS", d.downloadBaseline, 0.70);
            table.throughput("image 1 GiB gunzip, " + c, d.imaging, pipe + " (same source)", d.imagingBaseline, 0.70);
        }
        table.higherBetter("drive info, requests/s", median(info, Wrk.Result::requestsPerSecond), "GET /ping",
                median(ping, Wrk.Result::requestsPerSecond), "%.0f/s", 0.50);
        double infoP99 = median(info, Wrk.Result::p99Millis);
        double pingP99 = median(ping, Wrk.Result::p99Millis);
        table.lowerBetter("drive info, p99 latency", infoP99, String.format("%.2f ms", infoP99), "GET /ping",
                pingP99, String.format("%.2f ms", pingP99), 0.50);
        table.lowerBetter("API key check (ApiKeys.matches)", keys.apiKeyNanos(), String.format("%.2f us", keys.apiKeyNanos() / 1e3),
                "PBKDF2 210k iterations (AdminCredentials)", keys.pbkdf2Nanos(), String.format("%.1f ms", keys.pbkdf2Nanos() / 1e6), 100);

        System.out.printf("%n== results (median of %d; ratio: the figure's speed relative to its baseline's; "
                + "whole run %.0f s)%n%n", settings.repeats(), (System.nanoTime() - begin) / 1e9);
        System.out.print(table.render());
        System.out.println("\nload average at the end: " + loadAverage());
        System.out.println();
        System.out.println(table.missed() == 0 ? "all targets met" : table.missed() + " target(s) missed");
    }

    private void httpFigures(RunningSystem system, String auth, List<Wrk.Result> ping, List<Wrk.Result> info) {
        PlainHttp.Reply r = system.http().post("/drives/create", auth, "name bench-info\nsize 1G\n", "Content-Type", "text/plain");
        if (r.status() != 200) {
            throw new IllegalStateException("create: " + r.describe());
        }
        String drive = PlainHttp.parseObject(r.text()).get("drive");
        URI pingUrl = system.baseUri().resolve("/ping");
        URI infoUrl = system.baseUri().resolve("/drives/" + drive + "/info");
        int threads = Math.min(Runtime.getRuntime().availableProcessors(), Wrk.CONNECTIONS);
        long pid = Cpu.systemPid();
        Wrk.run(pingUrl, auth, 5, threads); // warm-up, both
        Wrk.run(infoUrl, auth, 5, threads);
        for (int rep = 0; rep < settings.repeats(); rep++) {
            boolean infoFirst = rep % 2 == 1;
            double[] cpu = new double[2];
            if (infoFirst) {
                cpu[1] = -Cpu.seconds(pid);
                info.add(Wrk.run(infoUrl, auth, settings.httpSeconds(), threads));
                cpu[1] += Cpu.seconds(pid);
            }
            cpu[0] = -Cpu.seconds(pid);
            ping.add(Wrk.run(pingUrl, auth, settings.httpSeconds(), threads));
            cpu[0] += Cpu.seconds(pid);
            if (!infoFirst) {
                cpu[1] = -Cpu.seconds(pid);
                info.add(Wrk.run(infoUrl, auth, settings.httpSeconds(), threads));
                cpu[1] += Cpu.seconds(pid);
            }
            Wrk.Result p = ping.get(ping.size() - 1);
            Wrk.Result i = info.get(info.size() - 1);
            // system CPU per request: requests = rate x seconds
            System.out.printf("  repeat %d: info %.0f/s p99 %.2f ms (system CPU %.0f us/request)   ping %.0f/s p99 %.2f ms"
                            + " (system CPU %.0f us/request)   load average %s%n", rep + 1,
                    i.requestsPerSecond(), i.p99Millis(), 1e6 * cpu[1] / (i.requestsPerSecond() * settings.httpSeconds()),
                    p.requestsPerSecond(), p.p99Millis(), 1e6 * cpu[0] / (p.requestsPerSecond() * settings.httpSeconds()),
                    loadAverage());
        }
        system.http().post("/drives/" + drive + "/destroy", auth, (byte[]) null);
    }

    /** What an earlier, interrupted run may have left in the directory (only names this program makes). */
    private void removeLeftovers() throws IOException {
        try (DirectoryStream<Path> d = Files.newDirectoryStream(settings.dir(),
                "{data-bench-*,keycheck-*,data.gz,baseline-*}")) {
            for (Path p : d) {
                System.out.println("removing what an earlier run left: " + p);
                deleteTree(p);
            }
        }
    }

    /** /proc/loadavg's first three fields: how busy the machine was (other work than this run shows here) */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static double median(List<Long> nanos) {
        List<Long> s = nanos.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2.0;
    }

    /** The p-th percentile (nearest rank) of {@code nanos}, in milliseconds; NaN for none. */
    static double percentileMillis(List<Long> nanos, int p) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = nanos.stream().sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }

    /** The median of a figure of each item. */
    static <T> double median(List<T> results, ToDoubleFunction<T> f) {
        double[] v = results.stream().mapToDouble(f).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
