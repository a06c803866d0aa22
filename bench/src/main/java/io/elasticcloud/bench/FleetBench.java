package io.elasticcloud.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.ThreeHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * The API service before a simulated fleet ({@link Fleet}) of 1, 100 and 1,000 hypervisor hosts
 * (by default; {@code bench.sizes}), on PostgreSQL and RabbitMQ ({@link ThreeHosts}: API, storage
 * and one agent process; that agent is put in maintenance so that only the fleet takes servers).
 * At each size: whether {@code /actuator/hosts} lists every fleet host reachable and how long the
 * listing takes; the API process's CPU time per heartbeat over {@code bench.seconds} of idle
 * (its CPU from /proc, less the same window's at one host, over the extra heartbeats) with {@code
 * bench.guests} servers (100) running through it, which must all still be active after it
 * (reconciliation believes the heartbeats that list them); the latency
 * of a server create (with its start, so the placement) and of its destroy, median and p99 over
 * {@code bench.creates} sequential calls; and, all through the run, any fleet host the API listed
 * unreachable after it had been reachable (falsely silent: every fleet agent beats throughout).
 * The one-host figures are the baseline, measured first in the same run. Run by bench/fleet.sh.
 */
public final class FleetBench {
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final int WARM_UP_CREATES = 10;
    private static final int SERVERS_PER_OWNER = 30;

    private FleetBench() {
    }

    /** One size's figures. */
    private record Step(int hosts, int active, int listedReachable, double listMillis, double cpuSeconds, double windowSeconds,
                        double fleetCpuSeconds, double createMedian, double createP99, double destroyMedian,
                        int failures) {
    }

    public static void main(String[] args) throws Exception {
        long begin = System.nanoTime();
        // a thousand agents in this JVM: their INFO lines (each start, each adopted guest) and the
        // bus client's DEBUG would be the output; warnings (a failed heartbeat) stay
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Path dir = Path.of(System.getProperty("bench.dir", "bench/target/fleet")).toAbsolutePath().normalize();
        int[] sizes = Arrays.stream(System.getProperty("bench.sizes", "1,100,1000").split(","))
                .mapToInt(s -> Integer.parseInt(s.strip())).toArray();
        int creates = Integer.getInteger("bench.creates", 50);
        int guests = Integer.getInteger("bench.guests", 100);
        Duration window = Duration.ofSeconds(Integer.getInteger("bench.seconds", 60));
        Files.createDirectories(dir);
        System.setProperty("it.logDirectory", dir.toString());
        System.out.println("== elastic-cloud simulated fleet benchmark, "
                + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.print(Shell.run("echo \"machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"
                + " | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB RAM\""));
        System.out.println("load average at start: " + Bench.loadAverage() + " (other work on the machine shows here)");
        System.out.printf("settings: sizes %s, heartbeat every %d s, %d creates per size, %d s CPU window%n",
                Arrays.toString(sizes), HEARTBEAT.toSeconds(), creates, window.toSeconds());

        List<Step> steps = new ArrayList<>();
        Set<String> falselySilent = ConcurrentHashMap.newKeySet();
        try (ThreeHosts system = ThreeHosts.start("benchfleet", List.of(),
                List.of("--elastic.agent.libvirt-uri=test:///default", "--elastic.agent.domain-type=qemu"),
                List.of("--elastic.bus-timeout=60s"));
             Fleet fleet = new Fleet(system.namespace(), ThreeHosts::busConnectionFactory, HEARTBEAT, "fleet")) {
            PlainHttp http = system.api.http();
            String admin = system.api.adminAuthorization();
            String customer = PlainHttp.basic(system.api.createCustomer());
            // the kept servers' owners: a customer's account holds 32 servers by default
            List<String> owners = new ArrayList<>();
            for (int i = 0; i < (guests + SERVERS_PER_OWNER - 1) / SERVERS_PER_OWNER; i++) {
                owners.add(PlainHttp.basic(system.api.createCustomer()));
            }
            PlainHttp.Reply maintenance = http.post("/actuator/hosts/" + system.agentNode(), admin, "{\"maintenance\":true}",
                    "Content-Type", "application/json");
            require(maintenance.status() == 200, "maintenance of the agent process: " + maintenance.describe());
            long apiPid = apiPid(system);
            Set<String> seen = ConcurrentHashMap.newKeySet();
            ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
            // paused during the CPU window, whose figure would otherwise include rendering the listing
            AtomicBoolean measuring = new AtomicBoolean();
            watch.scheduleWithFixedDelay(() -> {
                if (!measuring.get()) {
                    listed(http, admin, seen, falselySilent);
                }
            }, 5, 5, TimeUnit.SECONDS);
            try {
                for (int size : sizes) {
                    System.out.printf("-- %d host(s): starting agents%n", size);
                    long grow = System.nanoTime();
                    fleet.growTo(size);
                    System.out.printf("   %d agents started in %.1f s%n", fleet.size(), (System.nanoTime() - grow) / 1e9);
                    int reachable = waitAllReachable(http, admin, fleet, Duration.ofSeconds(120));
                    // servers that run through the window: their hosts' heartbeats list them, and
                    // reconciliation must leave them active
                    List<String[]> kept = new ArrayList<>();
                    for (int i = 0; i < guests; i++) {
                        String owner = owners.get(i / SERVERS_PER_OWNER);
                        PlainHttp.Reply created = http.post("/servers/create", owner, "name kept\ncpu 100\nmem 32\n");
                        if (created.status() == 200) {
                            kept.add(new String[] {PlainHttp.parseObject(created.text()).get("server"), owner});
                        } else {
                            System.out.println("   create (kept) failed: " + created.describe());
                            break;
                        }
                    }
                    // a full interval of every agent beating before the window
                    Thread.sleep(HEARTBEAT.toMillis());
                    double cpu0 = Cpu.seconds(apiPid);
                    double fleetCpu0 = Cpu.seconds(ProcessHandle.current().pid());
                    long w0 = System.nanoTime();
                    measuring.set(true);
                    Thread.sleep(window.toMillis());
                    measuring.set(false);
                    double cpu = Cpu.seconds(apiPid) - cpu0;
                    double fleetCpu = Cpu.seconds(ProcessHandle.current().pid()) - fleetCpu0;
                    double windowSeconds = (System.nanoTime() - w0) / 1e9;
                    int active = 0;
                    for (String[] server : kept) {
                        PlainHttp.Reply info = http.get("/servers/" + server[0] + "/info", server[1]);
                        if (info.status() == 200 && "active".equals(PlainHttp.parseObject(info.text()).get("status"))) {
                            active++;
                        }
                        http.post("/servers/" + server[0] + "/destroy", server[1], (byte[]) null);
                    }
                    System.out.printf("   %d of %d servers kept through the window still active%n", active, guests);
                    long l0 = System.nanoTime();
                    listed(http, admin, seen, falselySilent);
                    double listMillis = (System.nanoTime() - l0) / 1e6;
                    List<Long> createNanos = new ArrayList<>();
                    List<Long> destroyNanos = new ArrayList<>();
                    int failures = 0;
                    // unmeasured first: the first step's calls would otherwise measure the JIT compiler
                    for (int i = 0; i < WARM_UP_CREATES; i++) {
                        createAndDestroy(http, customer);
                    }
                    for (int i = 0; i < creates; i++) {
                        long c0 = System.nanoTime();
                        PlainHttp.Reply created = http.post("/servers/create", customer, "name fleet\ncpu 100\nmem 32\n");
                        long c1 = System.nanoTime();
                        if (created.status() != 200) {
                            failures++;
                            System.out.println("   create failed: " + created.describe());
                            continue;
                        }
                        createNanos.add(c1 - c0);
                        String server = PlainHttp.parseObject(created.text()).get("server");
                        long d0 = System.nanoTime();
                        PlainHttp.Reply destroyed = http.post("/servers/" + server + "/destroy", customer, (byte[]) null);
                        if (destroyed.status() != 204) {
                            failures++;
                            System.out.println("   destroy failed: " + destroyed.describe());
                        } else {
                            destroyNanos.add(System.nanoTime() - d0);
                        }
                    }
                    Step step = new Step(size, active, reachable, listMillis, cpu, windowSeconds, fleetCpu,
                            Bench.percentileMillis(createNanos, 50),
                            Bench.percentileMillis(createNanos, 99), Bench.percentileMillis(destroyNanos, 50), failures);
                    steps.add(step);
                    System.out.printf("   listed reachable %d/%d (listing %.0f ms); API CPU %.2f s in %.0f s;"
                                    + " create median %.1f ms p99 %.1f ms; destroy median %.1f ms; failures %d%n",
                            reachable, size, listMillis, cpu, windowSeconds, step.createMedian(), step.createP99(),
                            step.destroyMedian(), failures);
                    System.gc();
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf("   fleet JVM: %.2f CPU-s in the window, %d MB heap after GC, %d threads%n",
                            fleetCpu, (rt.totalMemory() - rt.freeMemory()) >> 20, Thread.activeCount());
                }
            } finally {
                watch.shutdownNow();
            }
        }
        System.out.printf("%n== results (whole run %.0f s)%n%n", (System.nanoTime() - begin) / 1e9);
        print(steps, falselySilent, guests);
        System.out.println("\nload average at the end: " + Bench.loadAverage());
        // the bus client's deferred-close threads would keep this JVM for another minute
        System.exit(0);
    }

    private static void createAndDestroy(PlainHttp http, String customer) {
        PlainHttp.Reply created = http.post("/servers/create", customer, "name fleet warm-up\ncpu 100\nmem 32\n");
        if (created.status() == 200) {
            http.post("/servers/" + PlainHttp.parseObject(created.text()).get("server") + "/destroy", customer,
                    (byte[]) null);
        }
    }

    private static void print(List<Step> steps, Set<String> falselySilent, int guests) {
        Step base = steps.get(0);
        System.out.println("CPU per heartbeat: the API's extra CPU over the extra heartbeats per second, against the"
                + " first size (and in brackets against the size before)");
        double baseCpuPerSecond = base.cpuSeconds() / base.windowSeconds();
        System.out.printf("%-7s %-9s %-16s %-10s %-13s %-18s %-22s %-22s %-13s %-10s%n", "hosts", "kept", "listed reachable",
                "listing", "API CPU idle", "CPU per heartbeat", "create+start median", "create+start p99",
                "destroy med.", "fleet CPU");
        Step previous = null;
        for (Step s : steps) {
            double cpuPerSecond = s.cpuSeconds() / s.windowSeconds();
            double extraBeatsPerSecond = (s.hosts() - base.hosts()) / (double) HEARTBEAT.toSeconds();
            String perBeat = extraBeatsPerSecond <= 0 ? "(baseline)"
                    : String.format("%.2f ms", (cpuPerSecond - baseCpuPerSecond) * 1000 / extraBeatsPerSecond);
            if (previous != null && previous != base) {
                double beats = (s.hosts() - previous.hosts()) / (double) HEARTBEAT.toSeconds();
                perBeat += String.format(" (%.2f)", (cpuPerSecond - previous.cpuSeconds() / previous.windowSeconds())
                        * 1000 / beats);
            }
            previous = s;
            System.out.printf("%-7d %-9s %-16s %-10s %-13s %-18s %-22s %-22s %-13s %-10s%n", s.hosts(), s.active() + "/" + guests,
                    s.listedReachable() + "/" + s.hosts(), String.format("%.0f ms", s.listMillis()),
                    String.format("%.1f%% CPU", cpuPerSecond * 100), perBeat,
                    String.format("%.1f ms (x%.2f)", s.createMedian(), s.createMedian() / base.createMedian()),
                    String.format("%.1f ms (x%.2f)", s.createP99(), s.createP99() / base.createP99()),
                    String.format("%.1f ms", s.destroyMedian()),
                    String.format("%.1f%% CPU", s.fleetCpuSeconds() / s.windowSeconds() * 100));
        }
        System.out.println("failed creates/destroys: " + steps.stream().mapToInt(Step::failures).sum());
        System.out.println("fleet hosts falsely listed unreachable: "
                + (falselySilent.isEmpty() ? "none" : falselySilent.size() + " " + new java.util.TreeSet<>(falselySilent)));
    }

    /** Lists /actuator/hosts; a fleet host seen reachable before and unreachable now is falsely silent. */
    static int listed(PlainHttp http, String admin, Set<String> seen, Set<String> falselySilent) {
        try {
            // one page of up to 10,000: the default page is 1,000 entries, and a fleet of 1,000
            // beside the system's own agent is 1,001 (one fleet host was left off, never "reachable")
            PlainHttp.Reply r = http.get("/actuator/hosts?limit=10000", admin);
            if (r.status() != 200) {
                return 0;
            }
            int reachable = 0;
            for (JsonElement e : JsonParser.parseString(r.text()).getAsJsonArray()) {
                JsonObject host = e.getAsJsonObject();
                String node = host.get("node").getAsString();
                if (!node.startsWith("fleet-")) {
                    continue;
                }
                if (host.get("reachable").getAsBoolean()) {
                    reachable++;
                    seen.add(node);
                } else if (seen.contains(node)) {
                    falselySilent.add(node);
                }
            }
            return reachable;
        } catch (RuntimeException e) {
            System.out.println("   listing hosts failed: " + e);
            return 0;
        }
    }

    static int waitAllReachable(PlainHttp http, String admin, Fleet fleet, Duration limit)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Set<String> ignored = new HashSet<>();
        int reachable = 0;
        while (System.nanoTime() < deadline) {
            reachable = listed(http, admin, ignored, new HashSet<>());
            if (reachable >= fleet.size()) {
                return reachable;
            }
            Thread.sleep(1000);
        }
        System.out.printf("   only %d of %d hosts reachable after %d s%n", reachable, fleet.size(), limit.toSeconds());
        return reachable;
    }

    static long apiPid(ThreeHosts system) {
        return system.api.processes().stream()
                .filter(p -> p.info().commandLine().map(c -> c.contains("elastic-cloud.jar")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst()
                .orElseThrow(() -> new IllegalStateException("the API's java process is not found"));
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException(what);
        }
    }
}
