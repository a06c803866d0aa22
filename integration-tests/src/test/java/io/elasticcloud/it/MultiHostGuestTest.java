package io.elasticcloud.it;

import static io.elasticcloud.it.ThreeHosts.WAIT;
import static io.elasticcloud.it.ThreeHosts.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real QEMU guest across several hosts ({@link ThreeHosts}): the API process on PostgreSQL, a
 * storage-only process on machine {@code mg-storage} and an agent-only process on machine {@code
 * mg-hv} ({@code qemu:///system}, an isolated libvirt network of its own). Through the API
 * process only: the test ISO and an encrypted data drive land on the storage process (their bytes
 * over the data path); the guest boots on the agent's host from the ISO as an IDE cdrom with the
 * data drive on virtio, both reaching it as NBD exports of the storage process (no volume file of
 * the storage process in the domain); it writes its marker onto the data drive, which then reads
 * back through the API exactly as the guest printed it; meanwhile the agent and the storage process
 * are each killed and started again under the running guest ({@link NodeRestarts}). After destroy
 * no domain and no export daemon is left. Fails, never skips, where QEMU or libvirt are missing.
 */
class MultiHostGuestTest {
    private static final Duration BOOT = Duration.ofSeconds(150);
    private static final Path WORK = Path.of("target", "multi-host-guest").toAbsolutePath();
    private static Libvirt.Network network;
    private static ThreeHosts hosts;
    private static String iso;
    private static String data;

    @BeforeAll
    static void startThreeHosts() throws Exception {
        Libvirt.start();
        if (!Files.isExecutable(Path.of("/usr/bin/qemu-storage-daemon"))) {
            fail("/usr/bin/qemu-storage-daemon is missing: deploy/install-deps.sh installs QEMU");
        }
        Path isoFile = Libvirt.testGuest(WORK);
        network = Libvirt.isolatedNetwork(WORK);
        int firstPort = 25000 + new Random().nextInt(200) * 20;
        // two machines' names: the storage node's differs from the agent's, so volumes go over NBD
        List<String> agentArgs = new ArrayList<>(List.of("--elastic.agent.libvirt-uri=" + Libvirt.URI,
                "--elastic.agent.host=mg-hv"));
        agentArgs.addAll(network.agentArgs());
        List<String> apiArgs = new ArrayList<>(network.apiArgs());
        apiArgs.add("--elastic.servers.export-sweep-interval=5s");
        hosts = ThreeHosts.start("mg", List.of("--elastic.storage.host=mg-storage",
                "--elastic.storage.nbd.address=127.0.0.1",
                "--elastic.storage.nbd.ports=" + firstPort + "-" + (firstPort + 19)), agentArgs, apiArgs);
        byte[] image = Files.readAllBytes(isoFile);
        iso = hosts.createDrive("name test guest iso\nsize " + image.length + "\nencryption:cipher none\n");
        hosts.http.writeDrive(iso, hosts.auth, image);
        data = hosts.createDrive("name data\nsize 64M\n");
        assertThat(hosts.driveInfo(data)).containsEntry("encryption:cipher", "aes-xts-plain");
        hosts.http.writeDrive(data, hosts.auth, TestGuest.DATA);
    }

    @AfterAll
    static void stopThreeHosts() {
        try {
            if (hosts != null) {
                hosts.close();
            }
        } finally {
            try {
                if (hosts != null && hosts.storage != null) {
                    StorageExports.kill(hosts.storage); // they outlive the storage process on purpose
                }
            } finally {
                if (network != null) {
                    network.close();
                }
            }
        }
    }

    @Test
    void aGuestOnTheAgentHostBootsFromDrivesOfTheStorageHostOverNbd() throws Exception {
        // both drives are the storage process's: the API process has no volumes
        assertThat(Files.exists(hosts.api.dataDir().resolve("volumes"))).isFalse();
        assertThat(hosts.storage.dataDir().resolve("volumes")).isDirectory();

        Map<String, String> created = hosts.createServer("name multi host\ncpu 2000\nmem 256\npersistent true\n"
                + "ide:0:0 " + iso + "\nide:0:0:media cdrom\nblock:0 " + data + "\nboot ide:0:0\n"
                + "nic:0:model virtio\nnic:0:dhcp auto\n");
        String server = created.get("server");
        assertThat(created).containsEntry("status", "active");
        String console = Libvirt.awaitConsole(hosts.agent, server, TestGuest.READY, 1, BOOT);
        assertThat(console).contains("DISK name=sr0 bus=ide ro=1")
                .contains("DISK name=vda bus=virtio ro=0 sectors=131072")
                .containsPattern("NIC name=eth0 mac=\\S+ driver=virtio_net");
        String marker = TestGuest.lastMarker(console);

        // both disks reach QEMU as NBD exports on the storage host, none as a file
        String domain = Libvirt.virsh("dumpxml", Libvirt.domainOf(server));
        assertThat(domain.split("protocol='nbd'", -1)).as(domain).hasSize(3);
        assertThat(domain).doesNotContain("<disk type='file'").doesNotContain(hosts.storage.dataDir().toString());
        assertThat(domain).as("the encrypted drive is exported as LUKS, decrypted by the guest's QEMU")
                .contains("<encryption format='luks'");
        assertThat(StorageExports.daemons(hosts.storage)).hasSize(2);
        assertThat(StorageExports.records(hosts.storage)).hasSize(2);
        assertThat(hosts.storage.log()).doesNotContain("ERROR");

        // the agent, then the storage process killed and started again under the running guest
        NodeRestarts restarts = new NodeRestarts(hosts);
        restarts.agentKilledAndRestarted(server);
        restarts.storageKilledAndRestarted(server);

        // the guest powers off: the server stops, and the marker reads back through the API process
        hosts.post("/servers/" + server + "/shutdown", 204);
        Wait.until("the persistent server stops after the guest powers off", WAIT,
                () -> "stopped".equals(hosts.serverInfo(server).get("status")), () -> hosts.agent.logTail(40));
        assertThat(Libvirt.domains()).doesNotContain(Libvirt.domainOf(server));
        assertThat(TestGuest.readMarker(hosts.http, hosts.auth, data))
                .as("what the guest wrote onto its encrypted data drive, read through the API process")
                .isEqualTo(marker);

        // its exports stop with it; destroyed, nothing is left on either host
        Wait.until("the exports stop with the server", Duration.ofSeconds(30),
                () -> StorageExports.daemons(hosts.storage).isEmpty(), () -> hosts.storage.logTail(40));
        hosts.post("/servers/" + server + "/destroy", 204);
        assertStatus(hosts.http.get("/servers/" + server + "/info", hosts.auth), 404);
        assertThat(Libvirt.domains()).doesNotContain(Libvirt.domainOf(server));
        assertThat(Libvirt.domainsMentioning(hosts.agent.dataDir().toString())).isEmpty();
        assertThat(StorageExports.daemons(hosts.storage)).isEmpty();
        assertThat(StorageExports.records(hosts.storage)).isEmpty();
        for (String drive : new String[] {iso, data}) {
            hosts.post("/drives/" + drive + "/destroy", 204);
        }
    }
}
