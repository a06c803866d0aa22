package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.elasticcloud.it.ServerChurn.Call;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code kill -9} of one API instance in the middle of creates, starts, stops and destroys sent
 * through the load balancer by {@link #CLIENTS} customers ({@link ServerChurn}): the clients see
 * errors only for calls that were on their way when it died, none for a call begun afterwards;
 * once the survivors have settled what it left (its leases end {@code Instances.SILENT} after its
 * last heartbeat), every server is {@code active} exactly when the agent runs its guest, or else
 * {@code stopped}; no guest runs without its active server, no MAC or address is given twice, none
 * is held for long for a server not running, no NBD export is held for a server that is not active, no
 * advisory lock is left. Then the instance is started again and serves through the load balancer.
 */
final class ApiInstanceKill {
    static final int CLIENTS = 24;
    private static final Duration BEFORE_KILL = Duration.ofSeconds(6);
    /** HAProxy takes an instance out after 2 failed health checks 2 s apart: calls go on well past that. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(10);
    /** Instances.SILENT (15 s) for the killed instance's leases, then heartbeats and sweeps (5 s each). */
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private final ThreeHosts hosts;
    private final RunningSystem victim;
    private final LoadBalancer lb;
    private final List<String> customers = new ArrayList<>();

    ApiInstanceKill(ThreeHosts hosts, RunningSystem victim, LoadBalancer lb) {
        this.hosts = hosts;
        this.victim = victim;
        this.lb = lb;
    }

    void run() throws Exception {
        for (int i = 0; i < CLIENTS; i++) {
            customers.add(PlainHttp.basic(hosts.api.createCustomer()));
        }
        // at most two servers per client on the host at once: room for four each
        long cpu = hosts.node("/actuator/hosts", hosts.agentNode).get("cpuFreeMhz").getAsLong() / (CLIENTS * 4L);
        try (AgentHeartbeats agent = AgentHeartbeats.listen(hosts.namespace(), hosts.agentNode)) {
            long begun = System.nanoTime();
            List<Call> calls;
            long killBegun;
            long killed;
            try (ServerChurn churn = new ServerChurn(lb.http(), customers, "cpu " + cpu + "\nmem 64\npersistent true\n")) {
                Thread.sleep(BEFORE_KILL.toMillis());
                killBegun = System.nanoTime();
                victim.crash();
                killed = System.nanoTime();
                Thread.sleep(AFTER_KILL.toMillis());
                calls = churn.stop();
            }
            long loadEnded = System.nanoTime();
            onlyCallsInFlightFailed(calls, begun, killBegun, killed);

            Wait.until("every server active exactly when the agent runs it, else stopped", CONVERGE,
                    () -> agrees(agent), () -> disagreement(agent));
            long converged = System.nanoTime();
            noMacOrAddressTwice();
            // the storage node carries out attaches and detaches one export daemon at a time: under
            // this load its queue is seconds to tens of seconds behind the sweeps that send them
            Wait.until("NBD exports held for active servers only, one daemon each", CONVERGE,
                    this::exportsAgree, this::exportsSeen);
            Wait.until("no advisory lock held in the database", HEARTBEAT, () -> advisoryLocks() == 0,
                    () -> "advisory locks: " + advisoryLocks());
            System.out.printf("kill -9 of one API instance: %d calls by %d clients, %.1f s of load (killed %.1f s in, "
                    + "the kill itself %d ms), settled %.1f s after the load ended%n", calls.size(), CLIENTS,
                    seconds(loadEnded - begun), seconds(killBegun - begun), millis(killed - killBegun),
                    seconds(converged - loadEnded));

            long restart = System.nanoTime();
            victim.restart();
            servesThroughTheBalancer();
            System.out.printf("the killed instance started again and served through the load balancer in %.1f s%n",
                    seconds(System.nanoTime() - restart));
            destroyEverything(agent);
        }
    }

    /**
     * The failed calls were all on their way when the instance died (begun before it was gone,
     * answered after it was killed), no more than were then in flight, each answered by the
     * balancer's {@code 502 system} or by its closing the client's connection; every call begun after
     * it was gone succeeded.
     */
    private static void onlyCallsInFlightFailed(List<Call> calls, long begun, long killBegun, long killed) {
        List<Call> failed = calls.stream().filter(Call::failed).toList();
        long inFlight = calls.stream().filter(c -> c.begun() <= killed && c.ended() >= killBegun).count();
        long after = calls.stream().filter(c -> c.begun() > killed).count();
        Map<String, Long> byWhat = new TreeMap<>(failed.stream()
                .collect(Collectors.groupingBy(c -> c.what() + " " + c.status(), Collectors.counting())));
        System.out.printf("%d calls, %d in flight at the kill, %d failed (by call and status, 0: no answer) %s, %d begun after it%n", calls.size(), inFlight,
                failed.size(), byWhat, after);
        calls.stream().collect(Collectors.groupingBy(Call::what)).forEach((what, some) -> {
            long[] ms = some.stream().mapToLong(c -> millis(c.ended() - c.begun())).sorted().toArray();
            System.out.printf("%s: %d, median %d ms, max %d ms%n", what, ms.length, ms[ms.length / 2], ms[ms.length - 1]);
        });
        assertThat(after).as("calls begun after the kill").isPositive();
        List<String> wrong = new ArrayList<>();
        for (Call call : failed) {
            String when = String.format("%s begun %d ms and answered %d ms into the load, killed at %d-%d ms: %d %s",
                    call.what(), millis(call.begun() - begun), millis(call.ended() - begun), millis(killBegun - begun),
                    millis(killed - begun), call.status(), call.answer());
            // on its way when the instance died, and the balancer's answer for an instance failing
            // mid-reply: 502, or the client's connection closed without an answer
            boolean balancer = call.status() == 502 && call.answer().contains("system") || call.status() == 0;
            if (call.begun() > killed || call.ended() < killBegun || !balancer) {
                wrong.add(when);
            }
        }
        assertThat(wrong).as("failed calls not on their way at the kill, or not failed by the balancer").isEmpty();
        assertThat((long) failed.size()).as("failed calls, at most those in flight at the kill").isLessThanOrEqualTo(inFlight);
    }

    private List<Map<String, String>> servers() {
        List<Map<String, String>> all = new ArrayList<>();
        for (String customer : customers) {
            PlainHttp.Reply list = hosts.http.get("/servers/info", customer);
            ThreeHosts.assertStatus(list, 200);
            all.addAll(PlainHttp.parseBlocks(list.text()));
        }
        return all;
    }

    private static Set<String> active(List<Map<String, String>> servers) {
        return servers.stream().filter(s -> "active".equals(s.get("status"))).map(s -> s.get("server"))
                .collect(Collectors.toSet());
    }

    /** Every server active or stopped, the active ones exactly the guests the agent's next heartbeat lists. */
    private boolean agrees(AgentHeartbeats agent) {
        List<Map<String, String>> servers = servers();
        Set<String> running = agent.next(HEARTBEAT);
        return servers.stream().allMatch(s -> Set.of("active", "stopped").contains(s.get("status")))
                && active(servers).equals(running);
    }

    private String disagreement(AgentHeartbeats agent) {
        List<Map<String, String>> servers = servers();
        Set<String> running = agent.next(HEARTBEAT);
        Set<String> activeNotRunning = new HashSet<>(active(servers));
        activeNotRunning.removeAll(running);
        Set<String> runningNotActive = new HashSet<>(running);
        runningNotActive.removeAll(active(servers));
        return "statuses: " + servers.stream().collect(Collectors.groupingBy(s -> s.get("status"), Collectors.counting()))
                + "\nactive, not running: " + activeNotRunning + "\nrunning, not active: " + runningNotActive
                + "\n" + hosts.api.logTail(40);
    }

    /** No MAC on two servers, no address on two active ones, soon none held in the database for a server not active. */
    private void noMacOrAddressTwice() throws SQLException {
        List<Map<String, String>> servers = servers();
        List<String> macs = servers.stream().map(s -> s.get("nic:0:mac")).toList();
        assertThat(macs).doesNotContainNull().doesNotHaveDuplicates();
        List<String> addresses = servers.stream().filter(s -> "active".equals(s.get("status")))
                .map(s -> s.get("nic:0:dhcp:ip")).toList();
        assertThat(addresses).as("the active servers' addresses").doesNotContainNull().doesNotHaveDuplicates();
        // one whose stop the killed instance recorded but never sent is kept until the sweep
        // gives it back (ServerNetwork.ENDED_GRACE, 40 s after that stop)
        Wait.until("no address held for a server not running", CONVERGE, () -> addressesNotRunning().isEmpty(),
                () -> "held for servers not running: " + addressesNotRunning());
    }

    private List<String> addressesNotRunning() {
        try {
            return hosts.query("SELECT a.address FROM ip_address a LEFT JOIN server s ON s.id = a.server_id"
                    + " WHERE a.server_id IS NOT NULL AND (s.id IS NULL OR s.status <> 'ACTIVE')");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The holders of the storage node's exports ({@code SERVER/STARTMILLIS}) are the active servers; a daemon per export. */
    private boolean exportsAgree() {
        Set<String> holders = new HashSet<>();
        for (String holder : exportHolders()) {
            holders.add(holder.substring(0, holder.indexOf('/')));
        }
        return holders.equals(active(servers()))
                && StorageExports.daemons(hosts.storage).size() == StorageExports.records(hosts.storage).size();
    }

    private List<String> exportHolders() {
        List<String> holders = new ArrayList<>();
        for (var record : StorageExports.records(hosts.storage)) {
            try {
                java.util.Properties p = new java.util.Properties();
                p.load(new java.io.StringReader(java.nio.file.Files.readString(record)));
                for (String holder : p.getProperty("holders", "").split(",")) {
                    if (!holder.isBlank()) {
                        holders.add(holder.trim());
                    }
                }
            } catch (java.io.IOException gone) {
                // removed meanwhile
            }
        }
        return holders;
    }

    private String exportsSeen() {
        return "holders: " + exportHolders() + "\nactive: " + active(servers()) + "\ndaemons: "
                + StorageExports.daemons(hosts.storage).size() + ", records: " + StorageExports.records(hosts.storage).size();
    }

    private int advisoryLocks() {
        try {
            return hosts.query("SELECT objid FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())").size();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Calls through the balancer, each answered, until the restarted instance has served some of them. */
    private void servesThroughTheBalancer() {
        PlainHttp through = lb.http();
        PlainHttp direct = victim.http();
        String admin = victim.adminAuthorization();
        Wait.until("the restarted instance serves calls through the load balancer", Duration.ofSeconds(30), () -> {
            for (String customer : customers.subList(0, 4)) {
                ThreeHosts.assertStatus(through.get("/servers/info", customer), 200);
            }
            PlainHttp.Reply served = direct.get("/actuator/metrics/elastic.api.requests", admin);
            return served.status() == 200 && JsonParser.parseString(served.text()).getAsJsonObject()
                    .getAsJsonArray("measurements").get(0).getAsJsonObject().get("value").getAsDouble() > 0;
        });
    }

    private void destroyEverything(AgentHeartbeats agent) {
        for (String customer : customers) {
            for (String kind : new String[] {"servers", "drives"}) {
                PlainHttp.Reply list = hosts.http.get("/" + kind + "/info", customer);
                ThreeHosts.assertStatus(list, 200);
                for (Map<String, String> item : PlainHttp.parseBlocks(list.text())) {
                    String id = item.get(kind.equals("servers") ? "server" : "drive");
                    ThreeHosts.assertStatus(hosts.http.post("/" + kind + "/" + id + "/destroy", customer, (byte[]) null), 204);
                }
            }
        }
        Wait.until("no guest and no export left", CONVERGE,
                () -> agent.next(HEARTBEAT).isEmpty() && StorageExports.records(hosts.storage).isEmpty(), this::exportsSeen);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
