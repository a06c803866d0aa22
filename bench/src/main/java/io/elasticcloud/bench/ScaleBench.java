package io.elasticcloud.bench;

import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.ThreeHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The cloud at growing size (issue 16): the API service on PostgreSQL ({@link ThreeHosts}, its own
 * agent on {@code test:///default} in maintenance) before a simulated fleet ({@link Fleet}), with
 * drives and servers grown through the public API ({@link ScaleData}) to each step's totals over
 * {@code bench.customers} customers. Per step: median and p99 of every list/info call for the big
 * customer and the small one, and each figure's per-object cost against the first step; the API's
 * rate of drive creates (16 clients, measured while growing) against the disk work alone
 * ({@link DriveCreateBench#diskWorkAlone}), and of server create+destroy (50 clients,
 * {@link ServerThroughput}) against the agent's libvirt work alone on {@code test:///default}
 * (the churned servers run on the fleet's fake hypervisors, whose own work is microseconds) and
 * against the HTTP floor of the same loop (two {@code GET /ping}, the same clients); the
 * API process's heap after a full GC; the database's size; the API process killed and started
 * again ({@link ScaleRestart}). Writes {@code scale.svg} (median
 * latency per call over the step) into {@code bench.dir}. Run by bench/scale.sh.
 */
public final class ScaleBench {
    private static final double MANY_TARGET = 1.5;
    private static final double FLAT_TARGET = 1.2;
    /** Untimed calls before each timed series: the first step would otherwise time the JIT compiler. */
    private static final int WARM_UP_CALLS = 10;
    /** A window in which each process's CPU with nothing asked of the system is read, before the churn. */
    private static final Duration IDLE = Duration.ofSeconds(10);
    /** Idle windows at most: the read ends when two in a row agree within {@link #SETTLED} of a core in all. */
    private static final int IDLE_WINDOWS = 6;
    private static final double SETTLED = 0.05;

    private ScaleBench() {
    }

    /** A measured call: its path, and the kind of object it is about ("drives", "servers", "vlans" or "one": flat). */
    private record Call(String name, String path, String kind) {
    }

    private record Figure(String customer, Call call, int objects, double median, double p99, int bytes) {
    }

    private record Step(int size, double fillSeconds, DriveCreateBench.Rate drives, ServerThroughput.Rate churn,
                        double churnMs, ServerThroughput.Rate floor, double floorMs, List<Figure> figures, long heapMb,
                        long databaseMb, ScaleRestart.Figures restart) {
    }

    /**
     * Each process's cores with nothing asked, read in {@link #IDLE} windows until the whole
     * machine's holds still: after a step's growth the API's JIT compiler and collector may still
     * be busy for a while (0.6-0.7 of a core in one window, 0.1-0.3 in the steps after), and idle
     * counted too high would hide the churn's own CPU.
     */
    private static Map<String, Double> settledIdle(long apiPid) throws InterruptedException {
        Cpu.Reading before = Cpu.Reading.now(apiPid);
        double previous = Double.NaN;
        for (int window = 1; ; window++) {
            Thread.sleep(IDLE.toMillis());
            Cpu.Reading now = Cpu.Reading.now(apiPid);
            Map<String, Double> idle = now.coresSince(before);
            double all = idle.values().stream().mapToDouble(Double::doubleValue).sum();
            if (window == IDLE_WINDOWS || Math.abs(all - previous) <= SETTLED) {
                System.out.printf("   CPU with nothing asked (the last of %d windows of %d s), cores: %s%n", window,
                        IDLE.toSeconds(), Cpu.format(idle, ""));
                return idle;
            }
            previous = all;
            before = now;
        }
    }

    public static void main(String[] args) throws Exception {
        long begin = System.nanoTime();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path dir = Path.of(System.getProperty("bench.dir", "bench/target/scale")).toAbsolutePath().normalize();
        int[] sizes = Arrays.stream(System.getProperty("bench.steps", "1000,10000,100000").split(","))
                .mapToInt(s -> Integer.parseInt(s.strip())).toArray();
        int customers = Integer.getInteger("bench.customers", 1000);
        int hosts = Integer.getInteger("bench.hosts", 1000);
        int clients = Integer.getInteger("bench.clients", 16);
        int churnClients = Integer.getInteger("bench.churn-clients", 50);
        int samples = Integer.getInteger("bench.samples", 20);
        Duration churnTime = Duration.ofSeconds(Integer.getInteger("bench.churn-seconds", 15));
        Files.createDirectories(dir);
        System.setProperty("it.logDirectory", dir.toString());
        System.out.println("== elastic-cloud at scale, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.print(Shell.run("echo \"machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"
                + " | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB RAM\"; echo \"commit: $(git rev-parse --short HEAD"
                + " 2>/dev/null)\""));
        System.out.println("load average at start: " + Bench.loadAverage() + " (other work on the machine shows here)");
        System.out.printf("settings: steps %s servers and drives, %d customers, %d fleet hosts, %d samples per call,"
                + " %d clients growing, %d clients churning for %d s%n", Arrays.toString(sizes), customers, hosts, samples,
                clients, churnClients, churnTime.toSeconds());

        double diskAlone = DriveCreateBench.diskWorkAlone(dir, clients, 500, ScaleData.DRIVE_SIZE);
        double self0 = Cpu.seconds(ProcessHandle.current().pid());
        ServerThroughput.Rate libvirtAlone = ServerThroughput.libvirtAlone(churnClients, Duration.ofSeconds(3), churnTime);
        double libvirtMs = (Cpu.seconds(ProcessHandle.current().pid()) - self0) * 1000 / libvirtAlone.completed();
        System.out.printf("baselines: the disk work of a drive create alone %.1f/s (%d threads); the agent's libvirt"
                + " start+destroy alone on test:///default %s, %.2f ms of CPU each%n", diskAlone, clients, libvirtAlone,
                libvirtMs);

        List<Step> steps = new ArrayList<>();
        String unlimited = "=100000000";
        try (ThreeHosts system = ThreeHosts.start("benchscale", List.of(),
                List.of("--elastic.agent.libvirt-uri=test:///default", "--elastic.agent.domain-type=qemu"),
                List.of("--elastic.bus-timeout=60s", "--elastic.quota.drives" + unlimited, "--elastic.quota.servers" + unlimited,
                        "--elastic.quota.cpu" + unlimited, "--elastic.quota.mem" + unlimited, "--elastic.quota.disk=1000TB"));
             Fleet fleet = new Fleet(system.namespace(), ThreeHosts::busConnectionFactory, FleetBench.HEARTBEAT, "fleet")) {
            PlainHttp.Reply maintenance = system.api.http().post("/actuator/hosts/" + system.agentNode(),
                    system.api.adminAuthorization(), "{\"maintenance\":true}", "Content-Type", "application/json");
            if (maintenance.status() != 200) {
                throw new IllegalStateException("maintenance of the agent process: " + maintenance.describe());
            }
            long t = System.nanoTime();
            fleet.growTo(hosts);
            FleetBench.waitAllReachable(system.api.http(), system.api.adminAuthorization(), fleet, Duration.ofSeconds(120));
            ScaleData data = ScaleData.create(system.api, customers, 8);
            System.out.printf("-- %d fleet hosts and %d customers in %.0f s%n", hosts, customers, (System.nanoTime() - t) / 1e9);
            for (int size : sizes) {
                long f0 = System.nanoTime();
                DriveCreateBench.Rate drives = data.growDrives(size, clients);
                DriveCreateBench.Rate servers = data.growServers(size, Math.min(size / 10, hosts * 100), clients);
                double fill = (System.nanoTime() - f0) / 1e9;
                analyze(system);
                System.out.printf("-- %,d servers (%,d active) and %,d drives, grown in %.0f s: drive creates %s,"
                        + " stopped server creates %s%n", data.servers(), data.active(), data.drives(), fill, drives, servers);
                PlainHttp http = system.api.http();
                if (steps.isEmpty()) {
                    // the baseline: one untimed round of every call first, as the JVM has just
                    // started and grown the step (without it, one run's medians of one-object calls and
                    // of the small customer's were 1.5-10 times those of its next step, ten times larger)
                    measure(http, "big", data.big(), data, samples);
                    measure(http, "small", data.small(), data, samples);
                }
                List<Figure> figures = new ArrayList<>();
                figures.addAll(measure(http, "big", data.big(), data, samples));
                figures.addAll(measure(http, "small", data.small(), data, samples));
                figures.forEach(f -> System.out.printf("   %-5s %-26s %6d objects: median %8.1f ms, p99 %8.1f ms, %,d bytes%n",
                        f.customer(), f.call().name(), f.objects(), f.median(), f.p99(), f.bytes()));
                List<String> churners = data.customers.subList(2, Math.min(data.customers.size(), 2 + churnClients));
                long apiPid = FleetBench.apiPid(system);
                Map<String, Double> idle = settledIdle(apiPid);
                Cpu.Reading c0 = Cpu.Reading.now(apiPid);
                ServerThroughput.Rate churn = ServerThroughput.apiCreateDestroy(http, churners, churnClients,
                        Duration.ofSeconds(5), churnTime);
                Cpu.Reading c1 = Cpu.Reading.now(apiPid);
                Map<String, Double> churnMs = c1.msPerOperationSince(c0, churn.completed(), idle);
                System.out.println("   server create+destroy, " + churnClients + " clients: " + churn);
                System.out.println("     CPU per create+destroy beyond idle: " + Cpu.format(churnMs, " ms"));
                ServerThroughput.Rate floor = ServerThroughput.pingPairs(http, churners, churnClients,
                        Duration.ofSeconds(5), churnTime);
                Map<String, Double> floorMs = Cpu.Reading.now(apiPid).msPerOperationSince(c1, floor.completed(), idle);
                System.out.println("   two GET /ping per loop, the same clients: " + floor);
                System.out.println("     CPU per loop beyond idle: " + Cpu.format(floorMs, " ms"));
                long heap = heapAfterGc(apiPid);
                long database = Long.parseLong(system.query("SELECT pg_database_size(current_database())").get(0)) >> 20;
                System.out.printf("   API heap after GC %d MB, database %d MB%n", heap, database);
                ScaleRestart.Figures restart = ScaleRestart.measure(system);
                System.out.println("   restart: " + restart);
                steps.add(new Step(size, fill, drives, churn, churnMs.get("all"), floor, floorMs.get("all"), figures, heap,
                        database, restart));
            }
        }
        System.out.printf("%n== results (whole run %.0f s)%n%n", (System.nanoTime() - begin) / 1e9);
        print(steps, diskAlone, libvirtAlone, libvirtMs, churnClients);
        plot(steps, dir.resolve("scale.svg"));
        System.out.println("\nplot: " + dir.resolve("scale.svg"));
        System.out.println("load average at the end: " + Bench.loadAverage());
        System.exit(0);
    }

    private static List<Call> calls(ScaleData data, String customer) {
        return List.of(new Call("/drives/list", "/drives/list", "drives"), new Call("/drives/info", "/drives/info", "drives"),
                new Call("/servers/list", "/servers/list", "servers"), new Call("/servers/info", "/servers/info", "servers"),
                new Call("/resources/list", "/resources/list", "vlans"), new Call("/resources/info", "/resources/info", "vlans"),
                new Call("/resources/vlan/list", "/resources/vlan/list", "vlans"),
                new Call("/drives/UUID/info", "/drives/" + data.aDrive(customer) + "/info", "one"),
                new Call("/servers/UUID/info", "/servers/" + data.aServer(customer) + "/info", "one"));
    }

    private static List<Figure> measure(PlainHttp http, String label, String customer, ScaleData data, int samples) {
        List<Figure> figures = new ArrayList<>();
        for (Call call : calls(data, customer)) {
            int bytes = 0;
            List<Long> nanos = new ArrayList<>();
            for (int i = 0; i < WARM_UP_CALLS + samples; i++) {
                long t0 = System.nanoTime();
                PlainHttp.Reply r = http.get(call.path(), customer);
                long t = System.nanoTime() - t0;
                if (r.status() != 200) {
                    throw new IllegalStateException(call.path() + " answered " + r.describe());
                }
                bytes = r.body().length;
                if (i >= WARM_UP_CALLS) {
                    nanos.add(t);
                }
            }
            int objects = switch (call.kind()) {
                case "drives" -> data.drivesOf(customer);
                case "servers" -> data.serversOf(customer);
                case "vlans" -> data.vlansOf(customer);
                default -> 1;
            };
            figures.add(new Figure(label, call, objects, Bench.percentileMillis(nanos, 50), Bench.percentileMillis(nanos, 99), bytes));
        }
        return figures;
    }

    /**
     * The planner's statistics brought up to date after a step's growth, as autovacuum would have on
     * a production cluster, when this cluster runs without it (CI machines' PostgreSQL may turn it
     * off): without them PostgreSQL plans a table of 100,000 rows from its first pages.
     */
    private static void analyze(ThreeHosts system) throws java.sql.SQLException {
        if ("off".equals(system.query("SHOW autovacuum").get(0))) {
            long t = System.nanoTime();
            system.execute("VACUUM ANALYZE");
            System.out.printf("   autovacuum is off on this cluster: VACUUM ANALYZE run (%.1f s)%n", (System.nanoTime() - t) / 1e9);
        }
    }

    /** The API process's heap in use after a full collection it was asked for (jcmd), in MB. */
    private static long heapAfterGc(long pid) {
        Shell.run("jcmd " + pid + " GC.run >/dev/null");
        String info = Shell.run("jcmd " + pid + " GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) >> 10 : -1;
    }

    private static void print(List<Step> steps, double diskAlone, ServerThroughput.Rate libvirtAlone, double libvirtMs,
                              int churnClients) {
        Step base = steps.get(0);
        System.out.println("per-object cost against the first step: a many-object call's median per object (target <= "
                + MANY_TARGET + "); a one-object call's and the small customer's median (target <= " + FLAT_TARGET + ")");
        System.out.printf("%-6s %-26s %-10s %-24s %-24s %-10s%n", "who", "call", "servers", "median (ratio)", "p99", "target");
        List<String> missed = new ArrayList<>();
        for (Step s : steps) {
            for (int i = 0; i < s.figures().size(); i++) {
                Figure f = s.figures().get(i);
                Figure b = base.figures().get(i);
                boolean many = f.customer().equals("big") && !f.call().kind().equals("one");
                double ratio = many ? (f.median() / f.objects()) / (b.median() / b.objects()) : f.median() / b.median();
                double target = many ? MANY_TARGET : FLAT_TARGET;
                String verdict = s == base ? "(base)" : ratio <= target ? "met" : "MISSED";
                if (verdict.equals("MISSED")) {
                    missed.add(f.customer() + " " + f.call().name() + " at " + s.size());
                }
                System.out.printf("%-6s %-26s %-10s %-24s %-24s %-10s%n", f.customer(), f.call().name() + " (" + f.objects() + ")",
                        String.format("%,d", s.size()), String.format("%.1f ms (x%.2f)", f.median(), ratio),
                        String.format("%.1f ms", f.p99()), verdict + " <= " + target);
            }
        }
        System.out.println("\nper step: time to grow, creation rates against their baselines, heap, database, restart");
        for (Step s : steps) {
            System.out.printf("%,d servers and drives: grown in %.0f s; drive creates %.1f/s (x%.2f of the disk work alone,"
                            + " %.1f/s); server create+destroy %.1f/s, %d clients (x%.2f of libvirt's test driver alone, %.1f/s;"
                            + " x%.2f of two GET /ping per loop, the same clients, %.1f/s); failed %d;"
                            + " API heap after GC %d MB; database %d MB%n"
                            + "   restart: %s%n",
                    s.size(), s.fillSeconds(), s.drives().perSecond(), s.drives().perSecond() / diskAlone, diskAlone,
                    s.churn().perSecond(), churnClients, s.churn().perSecond() / libvirtAlone.perSecond(),
                    libvirtAlone.perSecond(), s.churn().perSecond() / s.floor().perSecond(), s.floor().perSecond(),
                    s.churn().failed() + s.floor().failed(), s.heapMb(), s.databaseMb(), s.restart());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        for (Step s : steps) {
            double leastLoop = s.floorMs() + libvirtMs;
            System.out.printf("%,d: CPU of the whole machine per create+destroy %.1f ms beyond idle, per two GET /ping"
                            + " %.1f ms; this machine's ceiling for create+destroy, were a loop no dearer than two pings"
                            + " and libvirt's own work (%.2f ms), %d cores / %.1f ms = %.0f/s; half of libvirt alone"
                            + " %.0f/s%n", s.size(), s.churnMs(), s.floorMs(), libvirtMs, cores, leastLoop,
                    cores * 1000 / leastLoop, libvirtAlone.perSecond() / 2);
        }
        System.out.println("\ntargets missed: " + (missed.isEmpty() ? "none" : String.join(", ", missed)));
    }

    private static void plot(List<Step> steps, Path file) throws java.io.IOException {
        double[] xs = steps.stream().mapToDouble(Step::size).toArray();
        SvgPlot plot = new SvgPlot("Median latency, big customer (a tenth of every kind)", "servers and drives in the cloud",
                "median latency (ms)", xs);
        Map<String, double[]> lines = new LinkedHashMap<>();
        for (int k = 0; k < steps.size(); k++) {
            for (Figure f : steps.get(k).figures()) {
                if (f.customer().equals("big")) {
                    lines.computeIfAbsent(f.call().name(), n -> new double[xs.length])[k] = f.median();
                }
            }
        }
        lines.forEach(plot::line);
        plot.write(file);
    }
}
