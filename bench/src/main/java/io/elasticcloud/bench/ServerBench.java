package io.elasticcloud.bench;

import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.RunningSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * The servers benchmarks (docs/performance.md), each figure beside its baseline measured in the
 * same run: (a) the power calls (create with start, start, stop, shutdown to stopped, destroy)
 * through the API against libvirt's own calls on the same domain XML, on real QEMU guests
 * ({@link ServerLatency}); (b) servers created and
 * destroyed per second by concurrent clients with the agent on libvirt's {@code test:///default}
 * driver ({@link ServerThroughput}). Run by bench/servers.sh, which starts libvirtd, builds, and
 * sets {@code bench.dir}, {@code bench.repeats} (5), {@code bench.clients} (50),
 * {@code bench.seconds} (20), {@code bench.only} ({@code latency} or {@code throughput}: that part
 * alone; empty: both) and {@code it.*} for the systems.
 */
public final class ServerBench {
    private static final double MAX_OVERHEAD_MS = 150;

    private ServerBench() {
    }

    public static void main(String[] args) throws Exception {
        long begin = System.nanoTime();
        Path dir = Path.of(System.getProperty("bench.dir", "bench/target/servers")).toAbsolutePath().normalize();
        int repeats = Integer.getInteger("bench.repeats", 5);
        int clients = Integer.getInteger("bench.clients", 50);
        Duration seconds = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
        Duration warmUp = Duration.ofSeconds(5);
        String only = System.getProperty("bench.only", "");
        if (repeats < 1 || clients < 1 || seconds.isZero()) {
            throw new IllegalArgumentException("repeats, clients and seconds must be at least 1");
        }
        if (!only.isEmpty() && !only.equals("latency") && !only.equals("throughput")) {
            throw new IllegalArgumentException("bench.only must be latency, throughput or empty, not " + only);
        }
        boolean runLatency = !only.equals("throughput");
        boolean runThroughput = !only.equals("latency");
        Files.createDirectories(dir);
        System.setProperty("it.logDirectory", dir.toString());
        System.out.println("== elastic-cloud servers benchmarks, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.print(Shell.run("echo \"machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
                + " $(free -g | awk '/Mem:/{print $2}') GiB RAM; $(libvirtd --version); $(qemu-system-x86_64 --version | head -1)\""));
        System.out.println("load average at start: " + Bench.loadAverage() + " (other work on the machine shows here)");
        System.out.printf("settings: %d repeats (median kept), %d clients, %d s measured after %d s of warm-up%n",
                repeats, clients, seconds.toSeconds(), warmUp.toSeconds());

        Table table = new Table();
        if (runLatency) {
            ServerLatency latency = latency(dir, repeats);
            for (PowerCall call : PowerCall.values()) {
                table.overhead(call.api + " (real QEMU, TCG)", Bench.median(latency.api.get(call)) / 1e6,
                        call.libvirt, Bench.median(latency.libvirt.get(call)) / 1e6, MAX_OVERHEAD_MS);
            }
        }
        if (runThroughput) {
            throughput(table, clients, warmUp, seconds);
        }
        System.out.printf("%n== results (%swhole run %.0f s)%n%n", runLatency ? "latency: median of " + repeats + "; " : "",
                (System.nanoTime() - begin) / 1e9);
        System.out.print(table.render());
        System.out.println("\nload average at the end: " + Bench.loadAverage());
        System.out.println(table.missed() == 0 ? "all targets met" : table.missed() + " target(s) missed");
    }

    /**
     * (a): the power calls through the API against libvirt's own, {@code repeats} times after a
     * warm-up. The system gets a public network of its own (defined by its agent, removed after).
     */
    private static ServerLatency latency(Path dir, int repeats) throws Exception {
        System.out.println("-- the test guest (deploy/build-test-guest.sh, untimed)");
        Path repo = Path.of(System.getProperty("it.repositoryRoot", ".")).toAbsolutePath();
        Path guest = dir.resolve("guest");
        Shell.run(Shell.q(repo.resolve("deploy/build-test-guest.sh")) + " " + Shell.q(guest) + " >/dev/null");

        System.out.println("-- (a) create, start, stop, shutdown and destroy through the API, against libvirt's own calls"
                + " on the same XML (real QEMU, qemu:///system)");
        String tag = UUID.randomUUID().toString().substring(0, 6);
        String network = "bench-pub-" + tag;
        String subnet = "169.254." + (150 + (int) (Math.random() * 50)) + ".";
        try (RunningSystem system = RunningSystem.start("bench-servers", "--elastic.agent.network=" + network,
                "--elastic.agent.network-bridge=bnp" + tag, "--elastic.agent.network-cidr=" + subnet + "0/24",
                "--elastic.agent.network-gateway=" + subnet + "1", "--elastic.network.pools[0].name=bench",
                "--elastic.network.pools[0].cidr=" + subnet + "0/24", "--elastic.network.pools[0].gateway=" + subnet + "1",
                "--elastic.network.pools[0].first=" + subnet + "2", "--elastic.network.pools[0].last=" + subnet + "99",
                // a loaded machine makes a call slow, not failed: its time is what is measured
                "--elastic.bus-timeout=180s")) {
            openToGuests(system.dataDir());
            String auth = PlainHttp.basic(system.createCustomer());
            String iso = UUID.randomUUID().toString();
            system.importStandardDrive(iso, "bench test guest", guest.resolve("test-guest.iso"), "cdrom");
            ServerLatency latency = new ServerLatency(system, auth, iso, dir);
            latency.run(repeats);
            Bench.deleteTree(system.dataDir());
            return latency;
        } finally {
            // the agent defined the network (persistent): take it away again
            Shell.run("virsh -q -c qemu:///system net-destroy " + network + " >/dev/null 2>&1 || true\n"
                    + "virsh -q -c qemu:///system net-undefine " + network + " >/dev/null 2>&1 || true\n"
                    + "rm -rf /var/lib/libvirt/dnsmasq/" + network + ".hostsdir");
        }
    }

    /** (b): create + destroy per second with {@code clients} clients, beside its two baselines. */
    private static void throughput(Table table, int clients, Duration warmUp, Duration seconds) throws Exception {
        System.out.printf("-- (b) create + destroy with %d clients, agent on test:///default%n", clients);
        ServerThroughput.Rate api;
        ServerThroughput.Rate ping;
        // one customer runs every client's servers: its quotas must not be what is measured
        try (RunningSystem system = RunningSystem.start("bench-test-driver",
                "--elastic.agent.libvirt-uri=test:///default", "--elastic.agent.domain-type=qemu",
                "--elastic.quota.servers=100000", "--elastic.quota.cpu=1000000000", "--elastic.quota.mem=1000000000")) {
            String auth = PlainHttp.basic(system.createCustomer());
            api = ServerThroughput.apiCreateDestroy(system.http(), List.of(auth), clients, warmUp, seconds);
            System.out.println("  API create + destroy: " + api);
            ping = ServerThroughput.pingPairs(system.http(), List.of(auth), clients, warmUp, seconds);
            System.out.println("  two GET /ping: " + ping);
            Bench.deleteTree(system.dataDir());
        }
        ServerThroughput.Rate alone = ServerThroughput.libvirtAlone(clients, warmUp, seconds);
        System.out.println("  the agent's libvirt work alone (LibvirtHypervisor start + destroy, this process): " + alone);

        table.informative("servers created+destroyed/s, " + clients + " clients, test:///default", api.perSecond(),
                "2 x GET /ping per loop, same clients", ping.perSecond(), "%.1f/s");
        table.informative("servers created+destroyed/s, " + clients + " clients, test:///default", api.perSecond(),
                "LibvirtHypervisor start+destroy alone, " + clients + " threads", alone.perSecond(), "%.1f/s");
        if (api.failed() > 0 || ping.failed() > 0 || alone.failed() > 0) {
            System.out.println("failures: API " + api.failed() + ", ping " + ping.failed() + ", libvirt " + alone.failed());
        }
    }

    /** A guest's qemu (libvirt's own user) must reach the volume files below the data directory. */
    private static void openToGuests(Path data) throws IOException {
        var traverse = PosixFilePermissions.fromString("rwx--x--x");
        Files.setPosixFilePermissions(data, traverse);
        if (Files.isDirectory(data.resolve("volumes"))) {
            Files.setPosixFilePermissions(data.resolve("volumes"), traverse);
        }
    }
}
