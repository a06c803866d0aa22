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

/**
 * Servers created (with the start) and destroyed per second by N concurrent clients through HAProxy
 * ({@code deploy/load-balancer.sh}) with two API instances, against the same with one, in the same
 * run: separate API, storage and agent processes on PostgreSQL and RabbitMQ ({@link ThreeHosts}),
 * the agent on libvirt's {@code test:///default} driver, each client a customer of its own (one
 * customer's commands wait on each other at its account's row, which would measure that instead).
 * The one-instance figure is taken first, then a second instance joins and a second load balancer
 * spreads the same clients over both. Run by bench/instances.sh, which sets {@code bench.dir},
 * {@code bench.clients} (50), {@code bench.seconds} (20) and {@code it.*} for the processes.
 */
public final class InstancesBench {
    /** On one machine two instances share its cores with everything else: the point is not to fall. */
    private static final double TARGET = 0.9;

    private InstancesBench() {
    }

    public static void main(String[] args) throws Exception {
        long begin = System.nanoTime();
        Path dir = Path.of(System.getProperty("bench.dir", "bench/target/instances")).toAbsolutePath().normalize();
        int clients = Integer.getInteger("bench.clients", 50);
        Duration seconds = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
        Duration warmUp = Duration.ofSeconds(5);
        if (clients < 1 || seconds.isZero()) {
            throw new IllegalArgumentException("clients and seconds must be at least 1");
        }
        Files.createDirectories(dir);
        System.setProperty("it.logDirectory", dir.toString());
        System.out.println("== elastic-cloud API instances benchmark, " + ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        System.out.print(Shell.run("echo \"machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
                + " $(free -g | awk '/Mem:/{print $2}') GiB RAM; $(haproxy -v | head -1)\""));
        System.out.println("load average at start: " + Bench.loadAverage() + " (other work on the machine shows here)");
        System.out.printf("settings: %d clients, %d s measured after %d s of warm-up%n", clients, seconds.toSeconds(),
                warmUp.toSeconds());

        ServerThroughput.Rate one;
        ServerThroughput.Rate two;
        try (ThreeHosts hosts = ThreeHosts.start("benchinst", List.of(),
                List.of("--elastic.agent.libvirt-uri=test:///default", "--elastic.agent.domain-type=qemu"),
                // a loaded machine makes a call slow, not failed: its rate is what is measured
                List.of("--elastic.bus-timeout=180s"))) {
            List<String> customers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                customers.add(PlainHttp.basic(hosts.api.createCustomer()));
            }
            System.out.printf("-- create + destroy with %d clients through HAProxy, one API instance%n", clients);
            try (LoadBalancer lb = LoadBalancer.start("bench-lb-one", hosts.api)) {
                one = ServerThroughput.apiCreateDestroy(lb.http(), customers, clients, warmUp, seconds);
            }
            System.out.println("  " + one);
            RunningSystem second = hosts.startAnotherApi("benchinst-api2");
            System.out.printf("-- the same through HAProxy before two API instances%n");
            try (LoadBalancer lb = LoadBalancer.start("bench-lb-two", hosts.api, second)) {
                two = ServerThroughput.apiCreateDestroy(lb.http(), customers, clients, warmUp, seconds);
            }
            System.out.println("  " + two);
        }
        Table table = new Table();
        table.higherBetter("servers created+destroyed/s, " + clients + " clients, HAProxy, two API instances",
                two.perSecond(), "the same, one API instance", one.perSecond(), "%.1f/s", TARGET);
        System.out.printf("%n== results (whole run %.0f s)%n%n", (System.nanoTime() - begin) / 1e9);
        System.out.print(table.render());
        if (one.failed() > 0 || two.failed() > 0) {
            System.out.println("failures: one instance " + one.failed() + ", two instances " + two.failed());
        }
        System.out.println("\nload average at the end: " + Bench.loadAverage());
        System.out.println(table.missed() == 0 ? "all targets met" : table.missed() + " target(s) missed");
    }
}
