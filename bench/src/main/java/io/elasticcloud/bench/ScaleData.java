package io.elasticcloud.bench;

import io.elasticcloud.it.PlainHttp;
import io.elasticcloud.it.RunningSystem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The data of the scale benchmark, made through the public API only (what a customer's calls
 * make, row for row): customers, then drives and servers grown to each step's totals. Customer 0
 * is the big one (a tenth of every kind, at most {@link #BIG_MAX}); customer 1 the small one that is
 * measured (a fixed {@link #SMALL} of each, made at the first step); the rest go round-robin over
 * every other customer. Each stopped server (persistent, made by {@code /servers/create/stopped})
 * has one of its owner's drives at {@code ide:0:0}, so that a drive's claims are part of what is
 * read. The active servers (made with their start, no drive: a fleet host runs them) belong a tenth
 * to the big customer, the rest round-robin to the others. Every call must succeed.
 */
final class ScaleData {
    static final int BIG_MAX = 10_000;
    static final int SMALL = 5;
    static final int BIG_VLANS = 10;
    /**
     * Small: the storage node keeps room on its disk for every byte it promised (a volume's unwritten
     * part included), and the 100,000 step's drives must fit on this machine's disk with their LUKS
     * headers and key material (about 260 kB each, written).
     */
    static final String DRIVE_SIZE = "64k";

    private final PlainHttp http;
    final List<String> customers;
    private final Map<String, List<String>> drivesOf = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> serversOf = new ConcurrentHashMap<>();
    /** Stopped servers per customer: the index of the drive its next stopped server takes. */
    private final Map<String, AtomicInteger> stoppedOf = new ConcurrentHashMap<>();
    private final Map<String, Integer> vlansOf = new HashMap<>();
    private final Map<String, String> aServer = new ConcurrentHashMap<>();
    /** Round-robin cursors over the other customers: drives, stopped servers, active servers (a stopped server needs a drive of its owner). */
    private final int[] nextOther = {2, 2, 2};
    private int drives;
    private int servers;
    private int active;

    private ScaleData(PlainHttp http, List<String> customers) {
        this.http = http;
        this.customers = customers;
        customers.forEach(c -> {
            drivesOf.put(c, java.util.Collections.synchronizedList(new ArrayList<>()));
            serversOf.put(c, new AtomicInteger());
            stoppedOf.put(c, new AtomicInteger());
        });
    }

    /** {@code count} customers made by {@code clients} admin clients at once, with the measured ones' VLANs. */
    static ScaleData create(RunningSystem api, int count, int clients) throws Exception {
        List<String> made = java.util.Collections.synchronizedList(new ArrayList<>());
        DriveCreateBench.parallel(clients, count, () -> made.add(PlainHttp.basic(api.createCustomer())));
        ScaleData data = new ScaleData(api.http(), new ArrayList<>(made));
        data.vlans(data.big(), BIG_VLANS);
        data.vlans(data.small(), 1);
        return data;
    }

    String big() {
        return customers.get(0);
    }

    String small() {
        return customers.get(1);
    }

    int drives() {
        return drives;
    }

    int servers() {
        return servers;
    }

    int active() {
        return active;
    }

    int drivesOf(String customer) {
        return drivesOf.get(customer).size();
    }

    int serversOf(String customer) {
        return serversOf.get(customer).get();
    }

    int vlansOf(String customer) {
        return vlansOf.getOrDefault(customer, 0);
    }

    /** One of the customer's drives (its first), for the one-drive calls. */
    String aDrive(String customer) {
        return drivesOf.get(customer).get(0);
    }

    /** One of the customer's stopped servers, for the one-server calls. */
    String aServer(String customer) {
        return aServer.get(customer);
    }

    static int bigShare(int total) {
        return Math.min(BIG_MAX, total / 10);
    }

    /** Drives made until there are {@code total}; the API's rate of those creates. */
    DriveCreateBench.Rate growDrives(int total, int clients) throws Exception {
        List<String> owners = owners(total - drives, bigShare(total) - drivesOf(big()), drivesOf(small()), 0);
        AtomicInteger next = new AtomicInteger();
        String body = "name scale\nsize " + DRIVE_SIZE + "\n";
        DriveCreateBench.Rate rate = DriveCreateBench.parallel(clients, owners.size(), () -> {
            String owner = owners.get(next.getAndIncrement());
            PlainHttp.Reply r = http.post("/drives/create", owner, body);
            require(r.status() == 200, "drive create", r);
            drivesOf.get(owner).add(PlainHttp.parseObject(r.text()).get("drive"));
        });
        drives += owners.size();
        return rate;
    }

    /**
     * Servers made until there are {@code total}, {@code activeTotal} of them active; answers the
     * rate of the stopped ones' creates. Drives first: a stopped server takes its owner's next drive.
     */
    DriveCreateBench.Rate growServers(int total, int activeTotal, int clients) throws Exception {
        int addActive = activeTotal - active;
        int bigActive = addActive / 10;
        int stopped = total - servers - addActive;
        List<String> owners = owners(stopped, bigShare(total) - serversOf(big()) - bigActive, serversOf(small()), 1);
        List<String[]> made = new ArrayList<>();
        for (String owner : owners) {
            serversOf.get(owner).incrementAndGet();
            int index = stoppedOf.get(owner).getAndIncrement();
            made.add(new String[] {owner, drivesOf.get(owner).get(index)});
        }
        AtomicInteger next = new AtomicInteger();
        DriveCreateBench.Rate rate = DriveCreateBench.parallel(clients, made.size(), () -> {
            String[] s = made.get(next.getAndIncrement());
            PlainHttp.Reply r = http.post("/servers/create/stopped", s[0],
                    "name scale\ncpu 100\nmem 32\npersistent true\nide:0:0 " + s[1] + "\nboot ide:0:0\n");
            require(r.status() == 200, "server create/stopped", r);
            aServer.putIfAbsent(s[0], PlainHttp.parseObject(r.text()).get("server"));
        });
        List<String> activeOwners = new ArrayList<>();
        for (int i = 0; i < addActive; i++) {
            activeOwners.add(i < bigActive ? big() : other(2));
        }
        activeOwners.forEach(o -> serversOf.get(o).incrementAndGet());
        AtomicInteger nextActive = new AtomicInteger();
        DriveCreateBench.parallel(clients, activeOwners.size(), () -> {
            String owner = activeOwners.get(nextActive.getAndIncrement());
            PlainHttp.Reply r = http.post("/servers/create", owner, "name scale active\ncpu 100\nmem 32\n");
            require(r.status() == 200, "server create (active)", r);
        });
        servers += made.size() + addActive;
        active += addActive;
        return rate;
    }

    /** The owners of {@code count} new objects: {@code forBig} the big customer's, the small one's until it has SMALL. */
    private List<String> owners(int count, int forBig, int smallHas, int cursor) {
        List<String> owners = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (i < forBig) {
                owners.add(big());
            } else if (smallHas < SMALL) {
                owners.add(small());
                smallHas++;
            } else {
                owners.add(other(cursor));
            }
        }
        return owners;
    }

    private String other(int cursor) {
        String c = customers.get(nextOther[cursor]);
        nextOther[cursor] = nextOther[cursor] + 1 < customers.size() ? nextOther[cursor] + 1 : 2;
        return c;
    }

    private void vlans(String customer, int count) {
        for (int i = 0; i < count; i++) {
            PlainHttp.Reply r = http.post("/resources/vlan/create", customer, "name scale" + i + "\n");
            require(r.status() == 200, "vlan create", r);
        }
        vlansOf.merge(customer, count, Integer::sum);
    }

    private static void require(boolean ok, String what, PlainHttp.Reply r) {
        if (!ok) {
            throw new IllegalStateException(what + " answered " + r.describe());
        }
    }
}
