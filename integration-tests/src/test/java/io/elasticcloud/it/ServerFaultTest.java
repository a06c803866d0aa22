package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults on real guests. The node agent killed while a server starts: in single-host mode it lives
 * in the system's process, so the process gets SIGKILL while {@code POST /servers/create} (with
 * the start) is in flight, at several points of a create's measured duration, and is started
 * again; then every server ends {@code active} or {@code stopped} as libvirt says, none stays in
 * between, and no domain of this system is left without its active server. And a domain
 * destroyed behind the system's back ({@code virsh destroy}) shows in the server's info within
 * seconds: {@code stopped} if persistent, gone otherwise.
 */
class ServerFaultTest {
    private static final String ISO = "4c2b1d7e-0f3a-4d5b-9e6c-7a8b9c0d1e2f";
    private static final Path WORK = Path.of("target", "server-faults").toAbsolutePath();
    private static final Duration CONVERGE = Duration.ofSeconds(60);
    /** What "within seconds" means here: the lifecycle event normally makes it in well under one. */
    private static final Duration NOTICED = Duration.ofSeconds(10);
    private static RunningSystem system;
    private static PlainHttp http;
    private static String auth;

    @BeforeAll
    static void startSystem() {
        Libvirt.start();
        Path iso = Libvirt.testGuest(WORK);
        system = RunningSystem.start("server-faults");
        Libvirt.assertReachableByGuests(system);
        system.importStandardDrive(ISO, "test guest cdrom", iso, "cdrom");
        http = system.http();
        auth = PlainHttp.basic(system.createCustomer());
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            try {
                if (system.isRunning()) {
                    for (Map<String, String> s : servers()) {
                        http.post("/servers/" + s.get("server") + "/destroy", auth, "");
                    }
                }
            } finally {
                system.close();
            }
        }
    }

    /** A guest of 64 MiB data drive (encrypted, virtio) and the test ISO as IDE cdrom; no NIC. */
    private static String config(String name, boolean persistent) {
        String data = object(http.post("/drives/create", auth, "name data of " + name + "\nsize 64M\n")).get("drive");
        return "name " + name + "\ncpu 200\nmem 128\npersistent " + persistent + "\nide:0:0 " + ISO
                + "\nide:0:0:media cdrom\nblock:0 " + data + "\nboot ide:0:0\n";
    }

    @Test
    void aCrashDuringCreateLeavesEveryServerActiveOrStoppedAsLibvirtSaysAndNoDomainBehind() throws Exception {
        Map<String, String> first = object(http.post("/servers/create", auth, config("fault before", true)));
        assertThat(first).containsEntry("status", "active");
        // a warm create, the measure of where to kill
        String warm = config("fault warm", true);
        long begun = System.nanoTime();
        assertThat(object(http.post("/servers/create", auth, warm))).containsEntry("status", "active");
        long createMillis = Math.max(10, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun));
        String firstStarted = first.get("started");

        ExecutorService client = Executors.newSingleThreadExecutor();
        try {
            // kill early, midway and late in a create (as long as the first one took), and after its reply
            long[] delays = {createMillis / 20, createMillis / 8, createMillis / 2, createMillis * 3 / 2};
            for (int i = 0; i < delays.length; i++) {
                String body = config("fault " + i, true);
                Future<?> create = client.submit(() -> {
                    try {
                        return http.post("/servers/create", auth, body);
                    } catch (AssertionError connectionCut) {
                        return null;
                    }
                });
                Thread.sleep(delays[i]);
                system.crash();
                create.get(70, TimeUnit.SECONDS);
                system.restart();
                Wait.until("after the crash " + delays[i] + " ms into create #" + i
                        + ", every server active or stopped as libvirt says, no domain left behind",
                        CONVERGE, ServerFaultTest::agreesWithLibvirt, ServerFaultTest::describe);
                String name = "fault " + i;
                System.out.printf("crash %d ms into a create of %d ms: server '%s' %s%n", delays[i], createMillis, name,
                        servers().stream().filter(s -> name.equals(s.get("name"))).map(s -> s.get("status"))
                                .findFirst().orElse("never created"));
            }
        } finally {
            client.shutdownNow();
        }
        // the guest that ran through all of it was adopted each time, never restarted
        assertThat(info(first.get("server"))).containsEntry("status", "active").containsEntry("started", firstStarted);
        assertThat(servers()).allSatisfy(s -> assertThat(s.get("status")).isIn("active", "stopped"));

        for (Map<String, String> s : servers()) {
            assertThat(http.post("/servers/" + s.get("server") + "/destroy", auth, "").status()).isEqualTo(204);
        }
        assertThat(domainsOfThisSystem()).isEmpty();
    }

    @Test
    void aDomainDestroyedBehindTheSystemsBackShowsInTheServerWithinSeconds() {
        String persistent = object(http.post("/servers/create", auth, config("killed persistent", true))).get("server");
        String transientOne = object(http.post("/servers/create", auth, config("killed transient", false))).get("server");
        assertThat(domainsOfThisSystem()).contains(Libvirt.domainOf(persistent), Libvirt.domainOf(transientOne));

        Libvirt.virsh("destroy", Libvirt.domainOf(persistent));
        Wait.until("the persistent server is stopped after virsh destroy", NOTICED,
                () -> "stopped".equals(info(persistent).get("status")), ServerFaultTest::describe);
        Libvirt.virsh("destroy", Libvirt.domainOf(transientOne));
        Wait.until("the transient server is gone after virsh destroy", NOTICED,
                () -> http.get("/servers/" + transientOne + "/info", auth).status() == 404, ServerFaultTest::describe);
        assertThat(domainsOfThisSystem()).doesNotContain(Libvirt.domainOf(persistent), Libvirt.domainOf(transientOne));

        // and the stopped one starts again
        assertThat(http.post("/servers/" + persistent + "/start", auth, "").status()).isEqualTo(204);
        assertThat(domainsOfThisSystem()).contains(Libvirt.domainOf(persistent));
        assertThat(http.post("/servers/" + persistent + "/destroy", auth, "").status()).isEqualTo(204);
        assertThat(domainsOfThisSystem()).doesNotContain(Libvirt.domainOf(persistent));
    }

    /**
     * Every server is active or stopped; active exactly when libvirt runs its domain; and every
     * domain of this system belongs to an active server.
     */
    private static boolean agreesWithLibvirt() {
        List<Map<String, String>> all = servers();
        Map<String, String> states = domainsOfThisSystemWithState();
        Map<String, String> statusOfDomain = new HashMap<>();
        for (Map<String, String> s : all) {
            String status = s.get("status");
            if (!status.equals("active") && !status.equals("stopped")) {
                return false;
            }
            boolean running = "running".equals(states.get(Libvirt.domainOf(s.get("server"))));
            if (running != status.equals("active")) {
                return false;
            }
            statusOfDomain.put(Libvirt.domainOf(s.get("server")), status);
        }
        return states.keySet().stream().allMatch(d -> "active".equals(statusOfDomain.get(d)));
    }

    private static String describe() {
        return "servers: " + servers() + "\ndomains of this system: " + domainsOfThisSystemWithState()
                + "\n" + system.logTail(40);
    }

    private static List<Map<String, String>> servers() {
        PlainHttp.Reply r = http.get("/servers/info", auth);
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        return PlainHttp.parseBlocks(r.text());
    }

    private static List<String> domainsOfThisSystem() {
        return new ArrayList<>(domainsOfThisSystemWithState().keySet());
    }

    /** The domains whose definition names this system's data directory (its console logs), with their state. */
    private static Map<String, String> domainsOfThisSystemWithState() {
        return Libvirt.domainsMentioning(system.dataDir().toString());
    }

    private static Map<String, String> info(String server) {
        return object(http.get("/servers/" + server + "/info", auth));
    }

    private static Map<String, String> object(PlainHttp.Reply reply) {
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        return PlainHttp.parseObject(reply.text());
    }
}
