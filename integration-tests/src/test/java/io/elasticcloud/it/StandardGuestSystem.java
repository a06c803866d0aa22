package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * What the client-library tests run against: the system as an operator runs it with several API
 * instances. {@link ThreeHosts} (a storage process, an agent process on {@code qemu:///system}
 * with an isolated test network, an API process on PostgreSQL and RabbitMQ), a second API instance
 * on the same database and bus, and HAProxy before both ({@link LoadBalancer}): the client
 * libraries are given the load balancer's address ({@link #endpoint()}), so their calls, one after
 * another, land on either instance. The test guest (deploy/build-test-guest.sh) is imported
 * gzipped as the standard drive {@code image} (media disk, as the libraries image their nodes
 * from). Admin calls go to either instance ({@link #api}, {@link #secondApi}); the guests'
 * consoles are the agent's ({@link #agent}). Closing it stops everything and destroys the network.
 * The client tests share one ({@link SharedGuestSystem}).
 */
final class StandardGuestSystem implements AutoCloseable {
    private static final Pattern REQUESTS =
            Pattern.compile("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"[^}]*} (\\S+)$");
    final Libvirt.Network network;
    final ThreeHosts hosts;
    final RunningSystem api;
    final RunningSystem secondApi;
    final RunningSystem agent;
    private final LoadBalancer lb;

    private StandardGuestSystem(Libvirt.Network network, ThreeHosts hosts, RunningSystem secondApi, LoadBalancer lb) {
        this.network = network;
        this.hosts = hosts;
        this.api = hosts.api;
        this.secondApi = secondApi;
        this.agent = hosts.agent;
        this.lb = lb;
    }

    static StandardGuestSystem start(String name, Path work, String image, String imageName) throws IOException {
        Libvirt.start();
        Path iso = Libvirt.testGuest(work);
        Path gzipped = work.resolve("test-guest.iso.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            Files.copy(iso, out);
        }
        Libvirt.Network network = Libvirt.isolatedNetwork(work);
        ThreeHosts hosts = null;
        LoadBalancer lb = null;
        try {
            List<String> agentArgs = new ArrayList<>(List.of("--elastic.agent.libvirt-uri=" + Libvirt.URI));
            agentArgs.addAll(network.agentArgs());
            List<String> apiArgs = new ArrayList<>(network.apiArgs());
            apiArgs.add("--server.forward-headers-strategy=native");
            apiArgs.add("--server.tomcat.remoteip.internal-proxies=" + LoadBalancer.TRUSTED);
            hosts = ThreeHosts.start(name, List.of(), agentArgs, apiArgs);
            Libvirt.assertReachableByGuests(hosts.storage);
            // the second instance starts while the first imports the standard drive
            ThreeHosts first = hosts;
            ExecutorService starting = Executors.newSingleThreadExecutor();
            RunningSystem secondApi;
            try {
                Future<RunningSystem> second = starting.submit(() -> first.startAnotherApi(name + "-api2"));
                try {
                    hosts.api.importStandardDrive(image, imageName, gzipped, "disk");
                } finally {
                    secondApi = ThreeHosts.started(second);
                }
            } finally {
                starting.shutdownNow();
            }
            lb = LoadBalancer.start(name + "-lb", hosts.api, secondApi);
            return new StandardGuestSystem(network, hosts, secondApi, lb);
        } catch (RuntimeException | Error e) {
            try (network) {
                try {
                    if (lb != null) {
                        lb.close();
                    }
                } finally {
                    if (hosts != null) {
                        hosts.close();
                    }
                }
            }
            throw e;
        }
    }

    /** Where the client libraries are pointed: the load balancer. */
    URI endpoint() {
        return lb.baseUri();
    }

    /** The public API through the load balancer. */
    PlainHttp http() {
        return lb.http();
    }

    /**
     * The public API requests (not {@code /actuator}) each instance has answered so far, {@link
     * #api} then {@link #secondApi}: the sums of their {@code http_server_requests_seconds_count}.
     */
    long[] answered() {
        return new long[] {answered(api), answered(secondApi)};
    }

    /** Asserts that each instance answered public API requests since {@code before} ({@link #answered()}). */
    void assertBothInstancesAnsweredSince(long[] before) {
        long[] now = answered();
        assertThat(now[0]).as("public requests answered by the first instance").isGreaterThan(before[0]);
        assertThat(now[1]).as("public requests answered by the second instance").isGreaterThan(before[1]);
    }

    private static long answered(RunningSystem instance) {
        PlainHttp.Reply scrape = instance.http().get("/actuator/prometheus", instance.adminAuthorization());
        assertThat(scrape.status()).as(scrape.describe()).isEqualTo(200);
        Matcher m = REQUESTS.matcher(scrape.text());
        long sum = 0;
        while (m.find()) {
            if (!m.group(1).startsWith("/actuator")) {
                sum += (long) Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    /** The last lines of each process's log, for failure messages. */
    String logTails(int lines) {
        StringBuilder all = new StringBuilder();
        for (RunningSystem s : new RunningSystem[] {api, secondApi, agent, hosts.storage}) {
            all.append("--- ").append(s.logFile().getFileName()).append(":\n").append(s.logTail(lines)).append('\n');
        }
        return all.toString();
    }

    @Override
    public void close() {
        try (network) {
            try {
                lb.close();
            } finally {
                hosts.close();
            }
        }
    }
}
