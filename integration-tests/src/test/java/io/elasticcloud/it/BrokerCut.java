package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.elasticcloud.it.ContainerFaultTest.Timed;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * RabbitMQ cut off while a customer keeps creating, stopping, starting and destroying servers
 * ({@link ContainerFaultTest}). Calls that need the bus answer {@code 500 system} within {@link
 * #FAIL_FAST} instead of hanging (the others go on working); once the broker is back, calls work
 * again within {@link #RECOVERY} without restarting anything: the process's connection, the
 * storage node's and the agent's command consumers, the API's event subscriptions and its reply
 * queue all come back by themselves, and the bus's health, {@code DOWN} within two heartbeats of
 * the cut, is {@code UP} again. Afterwards every server is {@code active} or {@code stopped}, and
 * the servers {@code active} are as many as the guests the agent reports running; the server
 * started before the cut still runs. One process plays every part, on one transport: a process
 * of each part on several hosts runs the same transport and comes back the same way.
 */
final class BrokerCut {
    /** Longer than the bus timeout, and than the two heartbeats (10 s each) in which a silent broker is noticed. */
    static final Duration PAUSE = Duration.ofSeconds(30);
    /** From the cut until the bus's health says {@code DOWN}: two heartbeats and a little. */
    private static final Duration NOTICED = Duration.ofSeconds(30);
    private static final Duration FAIL_FAST = ContainerFaultTest.BUS_TIMEOUT.multipliedBy(2).plusSeconds(5);
    /** From the broker's return (a restarted one: once it is ready); a node is heard again at its next heartbeat. */
    private static final Duration RECOVERY = Duration.ofSeconds(20);
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final int CALLS_WHILE_CUT = 4;
    private static final String SERVER = "cpu 200\nmem 64\npersistent true\n";
    /** Every customer with servers here, whichever test made them: the host's guests are theirs. */
    private static final List<String> CUSTOMERS = new CopyOnWriteArrayList<>();

    private final RunningSystem system;
    private final PlainHttp http;
    private final String how;
    private final String customer;

    BrokerCut(RunningSystem system, String how) {
        this.system = system;
        this.http = system.http();
        this.how = how;
        this.customer = PlainHttp.basic(system.createCustomer());
        CUSTOMERS.add(customer);
    }

    /** {@code cut} the broker, send calls, keep it cut for {@code holdFor} in all, {@code mend} it, check. */
    void run(Runnable cut, Duration holdFor, Runnable mend) throws Exception {
        // whatever came before (another fault), this one starts on a working bus
        Wait.until("calls through the bus work before the broker is " + how, READY, this::busCallsWork,
                () -> system.logTail(60));
        String before = created(http.post("/servers/create", customer, "name before-" + how + "\n" + SERVER));
        Load load = new Load();
        Thread customerThread = new Thread(load, "servers-" + how);
        customerThread.start();
        try {
            RunningSystem.sleep(Duration.ofSeconds(2));
            cutAndMend(cut, holdFor, mend);
            long back = System.nanoTime();
            Wait.until("calls through the bus work again after the broker is back (" + how + ")", RECOVERY,
                    this::busCallsWork, () -> system.logTail(60));
            System.out.println("BrokerCut: " + how + ": working again "
                    + Duration.ofNanos(System.nanoTime() - back).toMillis() + " ms after");
            Wait.until("the bus is UP in health again", HEARTBEAT, () -> "UP".equals(busHealth()), this::busHealth);
            int cyclesBefore = load.cycles.size();
            Wait.until("the customer's servers cycle again", RECOVERY, () -> load.cycles.size() > cyclesBefore + 1,
                    () -> "failures: " + load.failures);
        } finally {
            load.stop.set(true);
            customerThread.join(Duration.ofSeconds(60).toMillis());
        }
        assertThat(customerThread.isAlive()).as("the customer's last call answered").isFalse();
        assertThat(load.failures).as("the customer's calls that failed otherwise than with system").isEmpty();

        Wait.until("every server active or stopped, as many active as the agent runs", CONVERGE,
                this::agreesWithTheAgent, this::describe);
        // and still so after the agent's next heartbeat
        RunningSystem.sleep(HEARTBEAT.plusSeconds(1));
        assertThat(agreesWithTheAgent()).as(describe()).isTrue();
        assertThat(PlainHttp.parseObject(http.get("/servers/" + before + "/info", customer).text()))
                .as("the server started before the broker went").containsEntry("status", "active");
        System.out.println("BrokerCut: " + how + ": customer: " + load.cycles.size() + " cycles done, "
                + load.refused + " calls refused with system");
    }

    /** Cuts the broker off, sends calls that need it, keeps it cut for {@code holdFor} in all, mends it. */
    private void cutAndMend(Runnable cut, Duration holdFor, Runnable mend) throws Exception {
        long cutAt = System.nanoTime();
        cut.run();
        List<Long> tookMillis = new ArrayList<>();
        try {
            String during = "the broker is " + how;
            ExecutorService pool = Executors.newFixedThreadPool(CALLS_WHILE_CUT);
            try {
                List<Future<Timed>> calls = new ArrayList<>();
                for (int i = 0; i < CALLS_WHILE_CUT; i++) {
                    String name = "name during-" + how + "-" + i + "\n";
                    calls.add(pool.submit(i % 2 == 0
                            ? () -> Timed.of(() -> http.post("/servers/create", customer, name + SERVER))
                            : () -> Timed.of(() -> http.post("/drives/create", customer, name + "size 1M\n"))));
                }
                for (Future<Timed> call : calls) {
                    tookMillis.add(call.get(FAIL_FAST.toSeconds() + 60, TimeUnit.SECONDS).failedWithin(FAIL_FAST, during));
                }
            } finally {
                pool.shutdownNow();
            }
            // what needs only the database goes on working
            PlainHttp.Reply list = http.get("/servers/list", customer);
            assertThat(list.status()).as(list.describe()).isEqualTo(200);
            Wait.until("the bus DOWN in health while the broker is " + how,
                    NOTICED.minus(Duration.ofNanos(System.nanoTime() - cutAt)), () -> !"UP".equals(busHealth()));
            System.out.println("BrokerCut: " + how + ": bus DOWN in health "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt) + " ms after the cut");
            Duration left = holdFor.minus(Duration.ofNanos(System.nanoTime() - cutAt));
            if (!left.isNegative() && !left.isZero()) {
                RunningSystem.sleep(left);
            }
        } finally {
            mend.run();
        }
        System.out.println("BrokerCut: " + how + ": answers took (ms) " + tookMillis);
    }

    /** A drive create (the storage node's commands) and a server create (the agent's) both answered. */
    private boolean busCallsWork() {
        return http.post("/drives/create", customer, "name probe-" + how + "\nsize 1M\n").status() == 200
                && http.post("/servers/create", customer, "name probe-" + how + "\n" + SERVER).status() == 200;
    }

    private static String created(PlainHttp.Reply reply) {
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        assertThat(PlainHttp.parseObject(reply.text())).as(reply.describe()).containsEntry("status", "active");
        return PlainHttp.parseObject(reply.text()).get("server");
    }

    private String busHealth() {
        PlainHttp.Reply r = http.health(system.adminAuthorization());
        JsonElement bus = JsonParser.parseString(r.text()).getAsJsonObject().getAsJsonObject("components").get("bus");
        return bus == null ? r.text() : bus.getAsJsonObject().get("status").getAsString();
    }

    /** Every server of these tests' customers active or stopped, and as many active as the guests the agent reports. */
    private boolean agreesWithTheAgent() {
        List<Map<String, String>> servers = servers();
        long active = servers.stream().filter(s -> "active".equals(s.get("status"))).count();
        boolean settled = servers.stream().allMatch(s -> List.of("active", "stopped").contains(s.get("status")));
        return settled && active == guests();
    }

    private List<Map<String, String>> servers() {
        List<Map<String, String>> all = new ArrayList<>();
        for (String c : CUSTOMERS) {
            PlainHttp.Reply r = http.get("/servers/info", c);
            assertThat(r.status()).as(r.describe()).isEqualTo(200);
            all.addAll(PlainHttp.parseBlocks(r.text()));
        }
        return all;
    }

    private long guests() {
        PlainHttp.Reply r = http.get("/actuator/hosts", system.adminAuthorization());
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        long guests = 0;
        for (JsonElement host : JsonParser.parseString(r.text()).getAsJsonArray()) {
            guests += host.getAsJsonObject().get("guests").getAsLong();
        }
        return guests;
    }

    private String describe() {
        return "servers: " + servers().stream().map(s -> s.get("name") + "=" + s.get("status")).toList()
                + "\nhosts: " + http.get("/actuator/hosts", system.adminAuthorization()).text()
                + "\n" + system.logTail(60);
    }

    /**
     * A customer cycling servers until stopped: create (and start), stop, start, every other one
     * stopped again, and the one of four cycles ago destroyed. A cycle a call of which fails leaves
     * its server to the end's checks.
     */
    private final class Load implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final List<String> cycles = new CopyOnWriteArrayList<>();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final Queue<String> kept = new ArrayDeque<>();
        volatile int refused;

        @Override
        public void run() {
            for (int i = 0; !stop.get(); i++) {
                String name = "name load-" + how + "-" + i + "\n";
                PlainHttp.Reply[] created = new PlainHttp.Reply[1];
                if (!answered(() -> created[0] = http.post("/servers/create", customer, name + SERVER))) {
                    continue;
                }
                String server = PlainHttp.parseObject(created[0].text()).get("server");
                if (answered(() -> http.post("/servers/" + server + "/stop", customer, ""))
                        && answered(() -> http.post("/servers/" + server + "/start", customer, ""))
                        && (i % 2 == 0 || answered(() -> http.post("/servers/" + server + "/stop", customer, "")))) {
                    cycles.add(server);
                    kept.add(server);
                }
                if (kept.size() > 4) {
                    String old = kept.poll();
                    answered(() -> http.post("/servers/" + old + "/destroy", customer, ""));
                }
            }
        }

        /** Whether the call succeeded; a failure other than {@code system} is recorded. */
        private boolean answered(Supplier<PlainHttp.Reply> call) {
            PlainHttp.Reply r;
            try {
                r = call.get();
            } catch (AssertionError noAnswer) {
                failures.add(noAnswer.getMessage());
                return false;
            }
            if (r.status() / 100 == 2) {
                return true;
            }
            if (ContainerFaultTest.isSystem(r)) {
                refused++;
                RunningSystem.sleep(Duration.ofMillis(200));
            } else {
                failures.add(r.describe());
            }
            return false;
        }
    }
}
