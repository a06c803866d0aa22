package io.elasticcloud.bench;

import io.elasticcloud.it.LoadBalancer;
import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.RunningSystem;
import io.elasticcloud.it.ThreeHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Servers created (with the start) and destroyed per second by N concurrent clients through HAProxy
 * ({@code deploy/load-balancer.sh}) with two API instances, against the same with one, in the same
 * run: separate API, storage and agent processes on PostgreSQL and RabbitMQ ({@link ThreeHosts}),
 * the agent on libvirt's {@code test:///default} driver, each client a customer of its own (one
 * customer's commands wait on each other at its account's row, which would measure that instead).
 * Both instances run throughout and are warmed up first, through a load balancer before both; then
 * the two figures are taken in alternating rounds (a load balancer before the first instance only,
 * the second idle but handling the bus's events as any instance does; a load balancer spreading the
 * same clients over both), each the median of its rounds: on a machine whose other load drifts,
 * both figures see the same drift. The second instance's CPU in the one-instance rounds is printed:
 * what an idle instance costs.
 * Beside the rates, the CPU time the system's own processes (API instances, storage, agent; not
 * PostgreSQL or RabbitMQ) spent per create+destroy: that figure does not depend on what else runs.
 * Run by bench/instances.sh, which sets {@code bench.dir}, {@code bench.clients} (50), {@code
 * bench.seconds} (20), {@code bench.rounds} (3) and {@code it.*} for the processes.
 */
public final class InstancesBench {
    /** On one machine two instances share its cores with everything else: the point is not to fall. */
    private static final double TARGET = 0.9;

    private InstancesBench() {
    }

    /** One measurement: the rate and the system's CPU milliseconds per operation. */
    private record Round(ServerThroughput.Rate rate, double cpuMillisPerOp) {
    }

    public static void main(String[] args) throws Exception {
        long begin = System.nanoTime();
        Path dir = Path.of(System.getProperty("bench.dir", "bench/target/instances")).toAbsolutePath().normalize();
        int clients = Integer.getInteger("bench.clients", 50);
        int rounds = Integer.getInteger("bench.rounds", 3);
        Duration seconds = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
        Duration warmUp = Duration.ofSeconds(5);
        if (clients < 1 || rounds < 1 || seconds.isZero()) {
            throw new IllegalArgumentException("clients, rounds and seconds must be at least 1");
        }
        Files.createDirectories(dir);
        System.setProperty("it.logDirectory", dir.toString());
        System.out.println("== elastic-cloud API instances benchmark, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.print(Shell.run("echo \"machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
                + " $(free -g | awk '/Mem:/{print $2}') GiB RAM; $(haproxy -v | head -1)\""));
        System.out.println("load average at start: " + Bench.loadAverage() + " (other work on the machine shows here)");
        System.out.printf("settings: %d clients, %d rounds of %d s measured after %d s of warm-up%n", clients, rounds,
                seconds.toSeconds(), warmUp.toSeconds());

        List<Round> one = new ArrayList<>();
        List<Round> two = new ArrayList<>();
        try (ThreeHosts hosts = ThreeHosts.start("benchinst", List.of(),
                List.of("--elastic.agent.libvirt-uri=test:///default", "--elastic.agent.domain-type=qemu"),
                // a loaded machine makes a call slow, not failed: its rate is what is measured
                List.of("--elastic.bus-timeout=180s"))) {
            List<String> customers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                customers.add(PlainHttp.basic(hosts.api.createCustomer()));
            }
            // both instances run throughout, and both are warm (the JIT halves the CPU per operation in the
            // first minute): a fresh second JVM per round would measure its warm-up instead
            try (RunningSystem second = hosts.startAnotherApi("benchinst-api2")) {
                System.out.printf("-- warm-up: %d s through HAProxy before both instances (not counted)%n",
                        warmUp.plus(seconds).toSeconds());
                try (LoadBalancer lb = LoadBalancer.start("bench-lb-warm", hosts.api, second)) {
                    ServerThroughput.apiCreateDestroy(lb.http(), customers, clients, warmUp, seconds);
                }
                for (int r = 1; r <= rounds; r++) {
                    System.out.printf("-- round %d: create + destroy with %d clients through HAProxy, one API instance "
                            + "(the second idle)%n", r, clients);
                    try (LoadBalancer lb = LoadBalancer.start("bench-lb-one", hosts.api)) {
                        one.add(measure(hosts, second, () -> ServerThroughput.apiCreateDestroy(lb.http(), customers, clients, warmUp, seconds)));
                    }
                    System.out.printf("-- round %d: the same through HAProxy before two API instances%n", r);
                    try (LoadBalancer lb = LoadBalancer.start("bench-lb-two", hosts.api, second)) {
                        two.add(measure(hosts, second, () -> ServerThroughput.apiCreateDestroy(lb.http(), customers, clients, warmUp, seconds)));
                    }
                }
            }
        }
        double oneRate = Bench.median(one, round -> round.rate().perSecond());
        double twoRate = Bench.median(two, round -> round.rate().perSecond());
        double oneCpu = Bench.median(one, Round::cpuMillisPerOp);
        double twoCpu = Bench.median(two, Round::cpuMillisPerOp);
        Table table = new Table();
        table.higherBetter("servers created+destroyed/s, " + clients + " clients, HAProxy, two API instances (median of "
                + rounds + ")", twoRate, "the same, one API instance", oneRate, "%.1f/s", TARGET);
        table.informative("the system's CPU per create+destroy, two API instances", twoCpu, "the same, one API instance",
                oneCpu, "%.0f ms");
        System.out.printf("%n== results (whole run %.0f s)%n%n", (System.nanoTime() - begin) / 1e9);
        System.out.print(table.render());
        long failed = one.stream().mapToLong(round -> round.rate().failed()).sum()
                + two.stream().mapToLong(round -> round.rate().failed()).sum();
        if (failed > 0) {
            System.out.println("failures: " + failed + " (see the rounds above)");
        }
        System.out.println("\nload average at the end: " + Bench.loadAverage());
        System.out.println(table.missed() == 0 ? "all targets met" : table.missed() + " target(s) missed");
    }

    private static Round measure(ThreeHosts hosts, RunningSystem second, Supplier<ServerThroughput.Rate> run) {
        List<ProcessHandle> processes = hosts.processes();
        double before = cpuSeconds(processes);
        double secondBefore = cpuSeconds(second.processes());
        ServerThroughput.Rate rate = run.get();
        long ops = Math.max(1, rate.completed());
        double cpuMillis = (cpuSeconds(processes) - before) * 1000 / ops;
        double secondMillis = (cpuSeconds(second.processes()) - secondBefore) * 1000 / ops;
        System.out.printf("  %s; the system's CPU %.0f ms per operation, %.1f ms of it the second instance's%n", rate,
                cpuMillis, secondMillis);
        return new Round(rate, cpuMillis);
    }

    private static double cpuSeconds(List<ProcessHandle> processes) {
        return processes.stream().mapToDouble(p -> Cpu.seconds(p.pid())).filter(v -> !Double.isNaN(v)).sum();
    }
}
