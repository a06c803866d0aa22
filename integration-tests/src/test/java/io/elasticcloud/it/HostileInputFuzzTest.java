package io.elasticcloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hostile-input fuzz suite: {@code it.fuzz.requests} requests (default 2,000) from the
 * seeded generator {@link FuzzRequests} ({@code it.fuzz.seed}, default fixed so CI is
 * repeatable) against the packaged system, its node agent on libvirt's test driver. The oracle,
 * for every request:
 * <ul>
 * <li>no answer of 500 or more (but {@code 507 full}, the API's "no room"), and always an HTTP answer;</li>
 * <li>every error status carries {@code X-Elastic-Error} and the API's error body (one line of text);</li>
 * <li>a refused request changes nothing of its caller (drives, servers and resources as info
 *     shows them, counters aside), and no request of one customer changes anything of another
 *     customer's, accepted or not; a refused admin request leaves the user list as it was.</li>
 * </ul>
 * It prints the seed first and, for each failure (up to ten), the exact request (credentials
 * replaced by names) and the answer. integration-tests/README.md has the command for other seeds.
 */
class HostileInputFuzzTest {
    private static final long SEED = Long.getLong("it.fuzz.seed", 20261201L);
    private static final int REQUESTS = Integer.getInteger("it.fuzz.requests", 2000);
    private static final int MAX_FAILURES = 10;
    private static final String HOST = "fuzz-host";
    private static final List<String> CUSTOMERS = List.of("alice", "bob");
    /** What info shows that moves on its own or with any accepted read: not state a request sets. */
    private static final Pattern VOLATILE = Pattern.compile(
            "(.*:)?(read|write):(bytes|requests)|nic:[01]:(rx|tx)(:.*)?|imaging(:.*)?|started|vnc:port|nic:[01]:dhcp:ip"
                    + "|smp:(cores|sockets)");

    private static final Pattern SHUTDOWN = Pattern.compile("(?:/api)?/servers/([^/]+)/shutdown");

    private static RunningSystem system;
    private static PlainHttp http;
    private static FuzzHttp raw;
    private static final Map<String, String> auth = new LinkedHashMap<>();
    private static final Map<String, String> secrets = new LinkedHashMap<>();
    private static String carol;

    @BeforeAll
    static void startSystem() {
        // the fuzzer sends wrong credentials on purpose and all from one address: the budget of
        // failed authentications (HostileFrontDoorTest's subject) would soon hold back every request
        // and leave the parsers behind it untried
        system = RunningSystem.start("hostile-fuzz", "--elastic.agent.libvirt-uri=test:///default",
                "--elastic.agent.node=" + HOST, "--elastic.http.auth-failure-burst=1000000");
        http = system.http();
        raw = new FuzzHttp(system.baseUri().getPort(), Duration.ofSeconds(60));
        auth.put("admin", system.adminAuthorization());
        for (String name : CUSTOMERS) {
            auth.put(name, PlainHttp.basic(system.createCustomer()));
        }
        carol = system.createCustomer().uuid();
        auth.forEach((name, value) -> secrets.put(value, "<" + name + "'s credentials>"));
        for (String name : CUSTOMERS) {
            fixtures(auth.get(name));
        }
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void noRequestGetsA500OrAnErrorWithoutItsTypeOrChangesWhatItMayNot() {
        System.out.printf("HostileInputFuzzTest: seed %d, %d requests (-Dit.fuzz.seed=%d -Dit.fuzz.requests=%d)%n",
                SEED, REQUESTS, SEED, REQUESTS);
        Map<String, Map<String, List<Map<String, String>>>> state = snapshot();
        List<String> users = users();
        FuzzRequests.World world = world(state);
        FuzzRequests generator = new FuzzRequests(SEED, world);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < REQUESTS && failures.size() < MAX_FAILURES; i++) {
            FuzzRequest request = generator.next();
            FuzzHttp.Reply reply;
            try {
                reply = raw.exchange(request.bytes(system.baseUri().getPort()), request.method().equals("HEAD"));
            } catch (IOException e) {
                failures.add(failure(i, request, "no answer: " + e));
                continue;
            }
            statuses.merge(reply.status(), 1, Integer::sum);
            String wrong = wrongAnswer(request, reply);
            if (wrong != null) {
                failures.add(failure(i, request, wrong + "\n  answered: " + describe(reply)));
            }
            if (!request.mutating()) {
                continue;
            }
            boolean refused = reply.status() >= 400;
            if (!refused) {
                settle(request);
            }
            Map<String, Map<String, List<Map<String, String>>>> after = snapshot();
            for (String customer : CUSTOMERS) {
                boolean mayChange = customer.equals(request.actor()) && !refused;
                if (!mayChange && !after.get(customer).equals(state.get(customer))) {
                    failures.add(failure(i, request, customer + "'s state changed by a request "
                            + (refused ? "refused with " + reply.status() : "of " + request.actor())
                            + "\n  before: " + state.get(customer) + "\n  after:  " + after.get(customer)
                            + "\n  answered: " + describe(reply)));
                }
            }
            if (request.actor().equals("admin") && request.path().startsWith("/actuator/users")) {
                List<String> usersAfter = users();
                if (refused && !usersAfter.equals(users)) {
                    failures.add(failure(i, request, "the users changed by a refused request: " + users + " -> "
                            + usersAfter + "\n  answered: " + describe(reply)));
                }
                users = usersAfter;
            }
            if (!after.equals(state)) {
                state = after;
                world = world(state);
                generator = generator.with(world);
            }
        }
        System.out.println("HostileInputFuzzTest: statuses " + statuses);
        assertThat(failures).as("seed %d: %d failures (at most %d shown)", SEED, failures.size(), MAX_FAILURES)
                .isEmpty();
    }

    /**
     * An accepted shutdown ends its guest a moment later, and the server then stops or (when
     * transient) goes: that is the request's own doing, so it is awaited (10 s at most) before the
     * next snapshot, lest it be taken for a change by some later, refused request.
     */
    private static void settle(FuzzRequest request) {
        java.util.regex.Matcher shutdown = SHUTDOWN.matcher(request.path());
        if (!shutdown.matches() || !auth.containsKey(request.actor())) {
            return;
        }
        String info = "/servers/" + shutdown.group(1) + "/info";
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            PlainHttp.Reply reply = http.get(info, auth.get(request.actor()));
            if (reply.status() != 200 || !"active".equals(PlainHttp.parseObject(reply.text()).get("status"))) {
                return;
            }
            RunningSystem.sleep(Duration.ofMillis(100));
        }
    }

    /** What is wrong with an answer on its own, or null. */
    private static String wrongAnswer(FuzzRequest request, FuzzHttp.Reply reply) {
        if (reply.status() < 0) {
            return "the connection closed without an HTTP answer";
        }
        // 507 full is the API's own answer for "no room" (a write past the end, a full pool)
        boolean full = reply.status() == 507 && reply.header("X-Elastic-Error").orElse("").equals("full");
        if (reply.status() >= 500 && !full) {
            return "a server error";
        }
        if (reply.status() < 400) {
            return null;
        }
        if (reply.header("X-Elastic-Error").isEmpty()) {
            return "an error without X-Elastic-Error";
        }
        String text = reply.text();
        if (!request.method().equals("HEAD") && (text.isBlank() || !text.endsWith("\n") || text.indexOf('\n') != text.length() - 1)) {
            return "an error body that is not one line of text";
        }
        return null;
    }

    private static String failure(int index, FuzzRequest request, String what) {
        String text = "request " + index + " of seed " + SEED + ": " + what + "\n  request: "
                + request.describe(system.baseUri().getPort(), secrets);
        System.out.println("HostileInputFuzzTest FAILURE " + text);
        return text;
    }

    private static String describe(FuzzHttp.Reply reply) {
        String body = reply.text();
        return reply.status() + " " + reply.header("X-Elastic-Error").orElse("(no X-Elastic-Error)") + " "
                + (body.length() > 300 ? body.substring(0, 300) + "..." : body).strip();
    }

    /** Each customer's drives, servers and resources as info shows them, counters and clocks aside. */
    private static Map<String, Map<String, List<Map<String, String>>>> snapshot() {
        Map<String, Map<String, List<Map<String, String>>>> all = new LinkedHashMap<>();
        for (String customer : CUSTOMERS) {
            Map<String, List<Map<String, String>>> own = new LinkedHashMap<>();
            for (String kind : List.of("drives", "servers", "resources")) {
                PlainHttp.Reply reply = http.get("/" + kind + "/info", auth.get(customer));
                assertThat(reply.status()).as(customer + " " + kind + ": " + reply.describe()).isEqualTo(200);
                List<Map<String, String>> objects = new ArrayList<>();
                for (Map<String, String> block : PlainHttp.parseBlocks(reply.text())) {
                    Map<String, String> kept = new TreeMap<>(block);
                    kept.keySet().removeIf(k -> VOLATILE.matcher(k).matches());
                    // an imaging's claim ends with its copy, as imaging N% does
                    String claimed = kept.remove("claimed");
                    String byServers = claimed == null ? "" : java.util.Arrays.stream(claimed.split(" "))
                            .filter(word -> !word.startsWith("imaging:")).collect(java.util.stream.Collectors.joining(" "));
                    if (!byServers.isEmpty()) {
                        kept.put("claimed", byServers);
                    }
                    objects.add(kept);
                }
                objects.sort(java.util.Comparator.comparing(Object::toString));
                own.put(kind, objects);
            }
            all.put(customer, own);
        }
        return all;
    }

    private static List<String> users() {
        PlainHttp.Reply reply = http.get("/actuator/users", auth.get("admin"), "Accept", "application/json");
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        return List.of(reply.text());
    }

    private static FuzzRequests.World world(Map<String, Map<String, List<Map<String, String>>>> state) {
        Map<String, List<String>> drives = new LinkedHashMap<>();
        Map<String, List<String>> servers = new LinkedHashMap<>();
        Map<String, List<String>> resources = new LinkedHashMap<>();
        for (String customer : CUSTOMERS) {
            drives.put(customer, ids(state.get(customer).get("drives"), "drive"));
            servers.put(customer, ids(state.get(customer).get("servers"), "server"));
            resources.put(customer, ids(state.get(customer).get("resources"), "resource"));
        }
        return new FuzzRequests.World(auth, drives, servers, resources, carol, HOST);
    }

    private static List<String> ids(List<Map<String, String>> objects, String key) {
        return objects.stream().map(o -> o.get(key)).filter(java.util.Objects::nonNull).toList();
    }

    /** Something of each kind to aim at: drives (one plain, one encrypted), a server using one, resources. */
    private static void fixtures(String customer) {
        String plain = created(http.post("/drives/create", customer, "name plain\nsize 1M\nencryption:cipher none\n"), "drive");
        created(http.post("/drives/create", customer, "name secret\nsize 1M\n"), "drive");
        created(http.post("/servers/create/stopped", customer, "name fixture\ncpu 500\nmem 128\nide:0:0 " + plain
                + "\nnic:0:model e1000\nnic:0:dhcp auto\n"), "server");
        created(http.post("/resources/ip/create", customer, "name address\n"), "resource");
        created(http.post("/resources/vlan/create", customer, "name lan\n"), "resource");
    }

    private static String created(PlainHttp.Reply reply, String key) {
        assertThat(reply.status()).as(reply.describe()).isEqualTo(200);
        return PlainHttp.parseObject(reply.text()).get(key);
    }
}
