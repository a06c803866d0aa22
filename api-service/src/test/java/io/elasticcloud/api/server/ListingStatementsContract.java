package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import io.elasticcloud.agent.hypervisor.FakeHypervisor;
import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.api.support.StatementCounter;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The calls about all of a customer's drives, servers or resources issue one SQL statement per kind
 * of row, never one per object: as many statements for thirty of each as for three. The calls
 * about one object stay as they are however many the customer has. Run on each database
 * by a subclass (the plans differ, the statements must not).
 */
abstract class ListingStatementsContract extends ServerTestBase {
    private static final List<String> LISTINGS = List.of("/drives/list", "/drives/info", "/servers/list",
            "/servers/info", "/resources/list", "/resources/info", "/resources/ip/info", "/resources/vlan/info");
    /** The static IPs and VLANs beside the 3 and the 30 drives and servers: the default quota holds 16 of each. */
    private static final int FEW_RESOURCES = 2;
    private static final int MANY_RESOURCES = 15;

    @Autowired
    private StatementCounter counter;
    @Autowired
    private ServerReconciler reconciler;
    @Autowired
    private ServerNetwork network;
    @Autowired
    private VolumeExports exports;

    private final List<String> drives = new ArrayList<>();
    private final List<String> servers = new ArrayList<>();
    private final List<String> ips = new ArrayList<>();
    private final List<String> vlans = new ArrayList<>();

    /**
     * The same statements, each with the same SQL text, so also the same number of bind parameters:
     * ids sent one parameter each ({@code IN (?, ?, ...)}) would break a customer with more objects
     * than a statement takes parameters (32,767 on PostgreSQL), long before that made every call slow.
     */
    /**
     * The static addresses go back to the pool, and the drives' room to the storage nodes, that the
     * other tests of this context take from (the servers first: a drive in use stays).
     */
    @AfterEach
    void destroyResources() {
        ips.forEach(ip -> api.post("/resources/ip/" + ip + "/destroy", ""));
        vlans.forEach(vlan -> api.post("/resources/vlan/" + vlan + "/destroy", ""));
        destroyServers();
        drives.forEach(drive -> api.post("/drives/" + drive + "/destroy", ""));
    }

    @Test
    void statementsDoNotGrowWithTheCustomersDrivesAndServers() {
        sameAt3And30(MANY_RESOURCES, this::statements);
    }

    /**
     * The sweeps that run every few seconds over the whole cloud (silent hosts, temporary addresses,
     * storage exports) read as many statements for thirty servers as for three: none per server.
     */
    @Test
    void theSweepsStatementsDoNotGrowWithTheServers() {
        sameAt3And30(FEW_RESOURCES, this::sweepStatements);
    }

    /**
     * A heartbeat, which each of a thousand hosts sends every few seconds, is one statement: the
     * host's servers' ids, statuses and starts (it was three, each server's keys and drives loaded
     * with it), with thirty servers on the host as with three.
     */
    @Test
    void aHeartbeatIsOneStatement() {
        sameAt3And30(FEW_RESOURCES, () -> {
            Map<String, List<String>> heartbeats = new LinkedHashMap<>();
            // the test application's two agents (TestApiApplication)
            Map<String, FakeHypervisor> hosts = Map.of("host-a", hostA, "host-b", hostB);
            hosts.forEach((node, host) -> {
                List<String> guests = host.list().stream().map(GuestInfo::server).toList();
                List<String> sql = counter.during(() -> reconciler.reconcile(node, guests, Instant.now()));
                assertThat(sql).as("a heartbeat of %d guests", guests.size()).hasSize(1);
                heartbeats.put(node, sql);
            });
            return heartbeats;
        });
    }

    /**
     * Grows to 3 drives and servers, then to 30 (with {@code resources} IPs and VLANs), and checks
     * that {@code statements} (what each call or sweep ran) are the same at both.
     */
    private void sameAt3And30(int resources, Supplier<Map<String, List<String>>> statements) {
        grow(3, FEW_RESOURCES);
        Map<String, List<String>> few = statements.get();
        grow(30, resources);
        Map<String, List<String>> many = statements.get();
        assertSoftly(soft -> few.forEach((what, sql) -> soft.assertThat(many.get(what))
                .as("%s with 30 drives and servers and %d IPs and VLANs, against 3 and %d", what, resources,
                        FEW_RESOURCES).containsExactlyElementsOf(sql)));
    }

    private Map<String, List<String>> sweepStatements() {
        Instant later = Instant.now().plus(ServerActivity.GRACE).plusSeconds(5);
        Map<String, List<String>> counts = new LinkedHashMap<>();
        counts.put("silent hosts", counter.during(() -> assertThat(reconciler.markSilentHostsDead(Instant.now())).isEmpty()));
        counts.put("temporary addresses", counter.during(() -> assertThat(network.sweep(later)).isEmpty()));
        counts.put("storage exports", counter.during(exports::sweep));
        return counts;
    }

    /**
     * Up to {@code n} drives and servers of every kind listings show: active with a drive (claimed)
     * and a temporary address, stopped with a drive, active with none; and {@code resources} static
     * IPs and VLANs.
     */
    private void grow(int n, int resources) {
        while (ips.size() < resources) {
            ips.add(create("/resources/ip/create", "name i" + ips.size() + "\n").get("resource"));
            vlans.add(create("/resources/vlan/create", "name v" + vlans.size() + "\n").get("resource"));
        }
        while (servers.size() < n) {
            String drive = drive("d" + drives.size());
            drives.add(drive);
            String base = "name s" + servers.size() + "\ncpu 100\nmem 16\n";
            Map<String, String> server = switch (servers.size() % 3) {
                case 0 -> create("/servers/create", base + "block:0 " + drive + "\nnic:0:dhcp auto\n");
                case 1 -> create("/servers/create/stopped", base + "ide:0:0 " + drive + "\n");
                default -> create("/servers/create", base);
            };
            servers.add(server.get("server"));
        }
    }

    /** The statements of each listing, and of the info of the customer's first drive and server. */
    private Map<String, List<String>> statements() {
        Map<String, List<String>> counts = new LinkedHashMap<>();
        for (String path : LISTINGS) {
            counts.put(path, statements(path));
        }
        counts.put("/drives/DRIVE/info", statements("/drives/" + drives.get(0) + "/info"));
        counts.put("/servers/SERVER/info", statements("/servers/" + servers.get(0) + "/info"));
        counts.put("/resources/ip/IP/info", statements("/resources/ip/" + ips.get(0) + "/info"));
        counts.put("/resources/vlan/VLAN/info", statements("/resources/vlan/" + vlans.get(0) + "/info"));
        return counts;
    }

    private List<String> statements(String path) {
        String token = UUID.randomUUID().toString();
        HttpResponse<byte[]> reply = api.get(path, StatementCounter.HEADER, token);
        assertThat(reply.statusCode()).as(path + ": " + ApiClient.text(reply)).isEqualTo(200);
        return counter.statements(token);
    }
}
