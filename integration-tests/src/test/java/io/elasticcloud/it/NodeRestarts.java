package io.elasticcloud.it;

import static io.elasticcloud.it.ThreeHosts.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

/**
 * {@code kill -9} of the agent process, then of the storage process, while a real guest runs on
 * the agent's host from NBD exports of the storage host ({@link MultiHostGuestTest}). The guest is
 * libvirt's and the exports are their own daemons', so neither dies with the process that made it.
 * <ul>
 * <li>Agent: while its host is silent the server is {@code dead} (we cannot know it still runs;
 * {@code HostNodes.STALE_AFTER}, 30 s); once the agent is back, its first heartbeat lists the guest
 * and the server is {@code active} again: the same QEMU process, never restarted.</li>
 * <li>Storage: the exports keep serving the guest (the same daemons); a drive's bytes cannot be
 * read meanwhile and the call says so at once ({@code 500 system}, nothing of our insides); once
 * the storage process is back it adopts the exports it left (no new daemon) and the bytes read back.</li>
 * </ul>
 */
final class NodeRestarts {
    /** {@code HostNodes.STALE_AFTER} (30 s), then the sweep that marks the host's servers (5 s). */
    private static final Duration SILENT = Duration.ofSeconds(60);
    private static final Duration BACK = Duration.ofSeconds(60);

    private final ThreeHosts hosts;

    NodeRestarts(ThreeHosts hosts) {
        this.hosts = hosts;
    }

    void agentKilledAndRestarted(String server) {
        String domain = Libvirt.domainOf(server);
        String qemu = Libvirt.virsh("domid", domain).strip();
        hosts.agent.crash();
        Wait.until("the server is dead while its host is silent", SILENT,
                () -> "dead".equals(hosts.serverInfo(server).get("status")), () -> hosts.api.logTail(20));
        assertThat(Libvirt.virsh("domstate", domain)).as("the guest itself").contains("running");

        hosts.agent.restart();
        Wait.until("the server is active again once its host is back", BACK,
                () -> "active".equals(hosts.serverInfo(server).get("status")), () -> hosts.api.logTail(20));
        assertThat(Libvirt.virsh("domid", domain).strip()).as("the same guest, not started again").isEqualTo(qemu);
    }

    void storageKilledAndRestarted(String server) {
        String drive = hosts.createDrive("name restart check\nsize 1M\n");
        byte[] bytes = TestBytes.random(7, 4096);
        hosts.http.writeDrive(drive, hosts.auth, bytes);
        List<Long> daemons = StorageExports.daemons(hosts.storage);
        assertThat(daemons).as("the guest's exports").isNotEmpty();

        hosts.storage.crash();
        assertThat(StorageExports.daemons(hosts.storage)).as("the exports outlive the storage process").isEqualTo(daemons);
        long asked = System.nanoTime();
        PlainHttp.Reply unreachable = hosts.http.get("/drives/" + drive + "/read/0/4096", hosts.auth);
        assertThat(unreachable.status()).as(unreachable.describe()).isEqualTo(500);
        assertThat(unreachable.header("X-Elastic-Error")).contains("system");
        assertThat(Duration.ofNanos(System.nanoTime() - asked)).as("failing, at once").isLessThan(Duration.ofSeconds(10));
        assertThat(Libvirt.virsh("domstate", Libvirt.domainOf(server))).contains("running");

        hosts.storage.restart();
        Wait.until("the drive reads back once the storage process is back", BACK, () -> {
            PlainHttp.Reply read = hosts.http.get("/drives/" + drive + "/read/0/4096", hosts.auth);
            return read.status() == 200 && java.util.Arrays.equals(read.body(), bytes);
        });
        assertThat(StorageExports.daemons(hosts.storage)).as("the exports adopted, none started again").isEqualTo(daemons);
        assertStatus(hosts.http.post("/drives/" + drive + "/destroy", hosts.auth, (byte[]) null), 204);
    }
}
