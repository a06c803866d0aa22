package io.elasticcloud.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.agent.hypervisor.FakeHypervisor;
import io.elasticcloud.api.ApiProperties;
import io.elasticcloud.api.lock.Instances;
import io.elasticcloud.api.resource.AddressAllocator;
import io.elasticcloud.api.support.ApiClient;
import io.elasticcloud.api.support.TestApiApplication;
import io.elasticcloud.protocol.Events.AgentHeartbeat;
import io.elasticcloud.protocol.Transport;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.HostInfo;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Persistent and transient servers through stop, shutdown, reset and destroy; reconciliation
 * with what the hosts report; placement under avoid:servers and in parallel.
 */
abstract class ServerLifecycleContract extends ServerTestBase {
    @Autowired
    Transport transport;
    @Autowired
    ServerReconciler reconciler;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApiProperties properties;
    @Autowired
    ServerNetwork network;
    @Autowired
    AddressAllocator allocator;

    private String start(String body) {
        return create("/servers/create", body).get("server");
    }

    @Test
    void stopStopsAPersistentServerAndDestroysATransientOne() {
        String kept = start("name kept\ncpu 500\nmem 128\npersistent true\n");
        String gone = start("name gone\ncpu 500\nmem 128\n");
        assertThat(api.post("/servers/" + kept + "/stop", "").statusCode()).isEqualTo(204);
        assertThat(api.post("/servers/" + gone + "/stop", "").statusCode()).isEqualTo(204);
        assertThat(info(kept)).containsEntry("status", "stopped");
        assertError(api.get("/servers/" + gone + "/info"), 404, "missing");
        assertThat(hostOf(kept)).isNull();
        assertThat(hostOf(gone)).isNull();
        // stopping a stopped server changes nothing
        assertThat(api.post("/servers/" + kept + "/stop", "").statusCode()).isEqualTo(204);
        assertThat(info(kept)).containsEntry("status", "stopped");
    }

    @Test
    void shutdownFollowsTheGuestUntilItPowersOff() {
        String kept = start("name kept\ncpu 500\nmem 128\npersistent true\n");
        String gone = start("name gone\ncpu 500\nmem 128\n");
        for (String server : List.of(kept, gone)) {
            FakeHypervisor host = hostOf(server);
            assertThat(api.post("/servers/" + server + "/shutdown", "").statusCode()).isEqualTo(204);
            assertThat(host.shuttingDown(server)).isTrue();
            assertThat(info(server)).containsEntry("status", "active");
            host.guestPowersOff(server);
        }
        eventually("the persistent server stops", () -> "stopped".equals(info(kept).get("status")));
        eventually("the transient server is destroyed", () -> api.get("/servers/" + gone + "/info").statusCode() == 404);
    }

    @Test
    void resetNeedsAnActiveServerAndDestroyStopsItFirst() {
        String server = start("name r\ncpu 500\nmem 128\npersistent true\n");
        FakeHypervisor host = hostOf(server);
        int resets = host.resets();
        assertThat(api.post("/servers/" + server + "/reset", "").statusCode()).isEqualTo(204);
        assertThat(host.resets()).isEqualTo(resets + 1);
        assertThat(info(server)).containsEntry("status", "active");
        api.post("/servers/" + server + "/stop", "");
        assertError(api.post("/servers/" + server + "/reset", ""), 409, "busy");
        api.post("/servers/" + server + "/start", "");
        String disk = drive("kept");
        api.post("/servers/" + server + "/stop", "");
        api.post("/servers/" + server + "/set", "ide:0:0 " + disk + "\n");
        api.post("/servers/" + server + "/start", "");
        assertThat(api.post("/servers/" + server + "/destroy", "").statusCode()).isEqualTo(204);
        assertThat(hostOf(server)).isNull();
        assertError(api.get("/servers/" + server + "/info"), 404, "missing");
        assertThat(properties(api.get("/drives/" + disk + "/info"))).containsEntry("status", "active")
                .doesNotContainKey("claimed");
    }

    @Test
    void guestsEndingBehindOurBackAreReconciled() {
        String kept = start("name kept\ncpu 500\nmem 128\npersistent true\n");
        String gone = start("name gone\ncpu 500\nmem 128\n");
        String crashed = start("name crashed\ncpu 500\nmem 128\n");
        hostOf(kept).killBehindTheBack(kept);
        hostOf(gone).killBehindTheBack(gone);
        hostOf(crashed).crash(crashed);
        eventually("killed persistent server stops", () -> "stopped".equals(info(kept).get("status")));
        eventually("killed transient server goes", () -> api.get("/servers/" + gone + "/info").statusCode() == 404);
        eventually("crashed server is dead", () -> "dead".equals(info(crashed).get("status")));
        assertThat(api.post("/servers/" + crashed + "/start", "").statusCode()).isEqualTo(204);
        assertThat(info(crashed)).containsEntry("status", "active");
    }

    @Test
    void heartbeatsEndServersTheirHostNoLongerRunsAndDestroyOrphans() {
        String kept = start("name kept\ncpu 500\nmem 128\npersistent true\n");
        FakeHypervisor host = hostOf(kept);
        String node = host == hostA ? "host-a" : "host-b";
        // a heartbeat taken well after the start that does not list the server
        transport.publish(new AgentHeartbeat(new HostInfo(node, "qemu", 4, 2000, 8192, 8192, 0, 0, 0), List.of(),
                Instant.now().plusSeconds(60)));
        eventually("a server its host does not run stops", () -> "stopped".equals(info(kept).get("status")));

        // a guest that no server owns (left by a crash of ours) is destroyed at the next heartbeat
        String orphan = UUID.randomUUID().toString();
        host.start(new GuestSpec(orphan, "orphan", new GuestSpec.CpuSpec(1, 1, 1, 100), 64, List.of(), List.of(),
                List.of(), null));
        eventually("the orphan is destroyed", () -> host.inspect(orphan).isEmpty());
    }

    @Test
    void aCommandInFlightOnAnotherInstanceKeepsHeartbeatsFromUndoingIt() {
        String server = start("name s\ncpu 500\nmem 128\npersistent true\n");
        UUID id = UUID.fromString(server);
        String node = hostOf(server) == hostA ? "host-a" : "host-b";
        // another API instance on this database, in the middle of a command on the server
        Instances other = new Instances(jdbc, Optional.empty());
        other.heartbeat();
        ServerActivity otherInstance = new ServerActivity(jdbc, other, properties, Optional.empty());
        otherInstance.begin(id);
        reconciler.reconcile(node, List.of(), Instant.now().plusSeconds(60));
        assertThat(info(server)).as("a heartbeat not listing it, while the command is in flight")
                .containsEntry("status", "active");

        otherInstance.end(id);
        reconciler.reconcile(node, List.of(), Instant.now().plusSeconds(5));
        assertThat(info(server)).as("a heartbeat taken within the grace after the command")
                .containsEntry("status", "active");
        reconciler.reconcile(node, List.of(), Instant.now().plus(ServerActivity.GRACE).plusSeconds(5));
        assertThat(info(server)).as("a heartbeat taken after it").containsEntry("status", "stopped");
    }

    @Test
    void aStartInFlightOnAnInstanceThatFellSilentNoLongerHoldsTheServer() {
        String server = start("name s\ncpu 500\nmem 128\npersistent true\n");
        UUID id = UUID.fromString(server);
        String node = hostOf(server) == hostA ? "host-a" : "host-b";
        Instances killed = new Instances(jdbc, Optional.empty());
        killed.heartbeat();
        new ServerActivity(jdbc, killed, properties, Optional.empty()).begin(id);
        Instant afterGrace = Instant.now().plus(ServerActivity.GRACE).plusSeconds(5);
        reconciler.reconcile(node, List.of(), afterGrace);
        assertThat(info(server)).as("while the instance that starts it is alive").containsEntry("status", "active");

        // killed mid-start: its lease would run for minutes, but its heartbeat has stopped
        jdbc.update("UPDATE api_instance SET seen_at = ? WHERE id = ?",
                OffsetDateTime.now(ZoneOffset.UTC).minus(Instances.SILENT).minusSeconds(1), killed.id());
        reconciler.reconcile(node, List.of(), afterGrace);
        assertThat(info(server)).as("once that instance has been silent").containsEntry("status", "stopped");
    }

    @Test
    void serversOfASilentHostAreDeadAndActiveAgainWhenItReportsThem() {
        String server = start("name s\ncpu 500\nmem 128\npersistent true\n");
        assertThat(reconciler.markSilentHostsDead(Instant.now().plusSeconds(31)))
                .contains(UUID.fromString(server));
        eventually("the host's next heartbeat shows it running",
                () -> "active".equals(info(server).get("status")));
    }

    /**
     * The address sweep gives back a temporary address whose server does not run (here: a lease
     * left for a server that is gone) once it is older than the grace, and keeps a running one's.
     */
    @Test
    void theAddressSweepGivesBackOnlyTheAddressesOfServersNotRunning() {
        String running = start("name r\ncpu 500\nmem 128\nnic:0:dhcp auto\n");
        String held = allocator.temporaryOf(UUID.fromString(running)).orElseThrow();
        String left = allocator.allocateTemporary(UUID.fromString(user), UUID.randomUUID());

        assertThat(network.sweep(Instant.now())).as("younger than the grace").isEmpty();
        assertThat(network.sweep(Instant.now().plus(ServerActivity.GRACE).plusSeconds(5))).containsExactly(left);
        assertThat(allocator.temporaryOf(UUID.fromString(running))).contains(held);
    }

    /**
     * A guest its host did not stop or destroy runs on, answering DHCP with its address: the address
     * stays held (no start gets it) until the sweep, {@link ServerNetwork#ENDED_GRACE} after; one
     * whose host stopped it is given back at once. Given back with the stop, it went to the next
     * start, whose host refused it ({@code busy}: held by the guest still running).
     */
    @Test
    void anAddressIsGivenBackOnceItsGuestHasStoppedOrLongAfter() {
        String config = "cpu 500\nmem 128\npersistent true\nnic:0:dhcp auto\n";
        List<String> servers = List.of(start("name a\n" + config), start("name b\n" + config), start("name c\n" + config));
        List<String> addresses = servers.stream()
                .map(s -> allocator.temporaryOf(UUID.fromString(s)).orElseThrow()).toList();
        hostOf(servers.get(0)).failNextStop("the host did not answer");
        assertThat(api.post("/servers/" + servers.get(0) + "/stop", "").statusCode()).isEqualTo(204);
        hostOf(servers.get(1)).failNextStop("the host did not answer");
        assertThat(api.post("/servers/" + servers.get(1) + "/destroy", "").statusCode()).isEqualTo(204);
        assertThat(api.post("/servers/" + servers.get(2) + "/stop", "").statusCode()).isEqualTo(204);

        assertThat(allocator.temporaryOf(UUID.fromString(servers.get(0)))).as("stopped, its host did not")
                .contains(addresses.get(0));
        assertThat(allocator.temporaryOf(UUID.fromString(servers.get(1)))).as("destroyed, its host did not")
                .contains(addresses.get(1));
        assertThat(allocator.temporaryOf(UUID.fromString(servers.get(2)))).as("stopped by its host").isEmpty();
        assertThat(network.sweep(Instant.now().plus(ServerActivity.GRACE).plusSeconds(5))).isEmpty();
        assertThat(network.sweep(Instant.now().plus(ServerNetwork.ENDED_GRACE).plusSeconds(5)))
                .containsExactlyInAnyOrder(addresses.get(0), addresses.get(1));
    }

    @Test
    void avoidServersPlacesOnAnotherHost() {
        String first = start("name first\ncpu 500\nmem 128\n");
        String second = start("name second\ncpu 500\nmem 128\navoid:servers " + first + "\n");
        assertThat(hostOf(second)).isNotNull().isNotSameAs(hostOf(first));
        HttpResponse<byte[]> full = api.post("/servers/create",
                "name third\ncpu 500\nmem 128\navoid:servers " + first + " " + second + "\n");
        assertError(full, 507, "full");
        assertError(api.post("/servers/create", "name big\ncpu 9000\nmem 128\n"), 507, "full");
        assertError(api.post("/servers/create", "name big\ncpu 100\nmem 9000\n"), 507, "full");
    }

    @Test
    void parallelCreatesNeverOvercommitAHost() throws Exception {
        int perHost = TestApiApplication.HOST_CORES * TestApiApplication.HOST_MHZ / 1000;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<byte[]>>> replies = new ArrayList<>();
            for (int i = 0; i < 2 * perHost + 6; i++) {
                String body = "name p" + i + "\ncpu 1000\nmem 256\n";
                replies.add(pool.submit(() -> api.post("/servers/create", body)));
            }
            int created = 0;
            for (Future<HttpResponse<byte[]>> reply : replies) {
                HttpResponse<byte[]> r = reply.get();
                if (r.statusCode() == 200) {
                    created++;
                } else {
                    assertError(r, 507, "full");
                }
            }
            assertThat(created).isEqualTo(2 * perHost);
        } finally {
            pool.shutdownNow();
        }
        for (FakeHypervisor host : List.of(hostA, hostB)) {
            assertThat(host.list().stream().mapToInt(GuestInfo::cpuMhz).sum())
                    .isLessThanOrEqualTo(TestApiApplication.HOST_CORES * TestApiApplication.HOST_MHZ);
        }
        assertThat(ApiClient.text(api.get("/servers/list")).lines()).hasSize(2 * perHost);
    }
}
