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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * are each killed and started again under the running guest ({@link NodeRestarts}). The exports
 * speak only TLS ({@code elastic.storage.nbd.tls-dir}, a server certificate of the CA of {@code
 * deploy/start-services.sh}): the guest's QEMU connects with the client certificate libvirt gives
 * it from {@code /etc/pki/qemu}, and a client without one is refused. After destroy no domain and
 * no export daemon is left. Fails, never skips, where QEMU or libvirt or the certificates of
 * {@code deploy/start-services.sh} are missing.
 */
class MultiHostGuestTest {
    private static final Duration BOOT = Duration.ofSeconds(150);
    private static final Path WORK = Path.of("target", "multi-host-guest").toAbsolutePath();
    /** The tests' CA and libvirt's NBD client files of this machine, as deploy/start-services.sh makes them. */
    private static final Path TESTS_CA = Path.of("/etc/elastic/test-ca");
    private static final Path QEMU_CLIENT = Path.of("/etc/pki/qemu");
    /**
     * The exports' address, on a loopback route with quickack (deploy/start-services.sh): without,
     * QEMU 7.2's TLS replies wait 40 ms each for a delayed ACK and the guest does not boot in time.
     */
    private static final String NBD_ADDRESS = "127.0.109.1";
    /** A disk of an NBD export in libvirt's XML: its export name, its other attributes, host and port. */
    private static final Pattern NBD_SOURCE = Pattern.compile(
            "<source protocol='nbd' name='([^']+)'([^>]*)>\\s*<host name='([^']+)' port='(\\d+)'/>");
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
        Path nbdTls = nbdServerFiles();
        network = Libvirt.isolatedNetwork(WORK);
        int firstPort = 25000 + new Random().nextInt(200) * 20;
        // two machines' names: the storage node's differs from the agent's, so volumes go over NBD
        List<String> agentArgs = new ArrayList<>(List.of("--elastic.agent.libvirt-uri=" + Libvirt.URI,
                "--elastic.agent.host=mg-hv"));
        agentArgs.addAll(network.agentArgs());
        List<String> apiArgs = new ArrayList<>(network.apiArgs());
        apiArgs.add("--elastic.servers.export-sweep-interval=5s");
        hosts = ThreeHosts.start("mg", List.of("--elastic.storage.host=mg-storage",
                "--elastic.storage.nbd.address=" + NBD_ADDRESS, "--elastic.storage.nbd.tls-dir=" + nbdTls,
                "--elastic.storage.nbd.ports=" + firstPort + "-" + (firstPort + 19)), agentArgs, apiArgs);
        byte[] image = Files.readAllBytes(isoFile);
        iso = hosts.createDrive("name test guest iso\nsize " + image.length + "\nencryption:cipher none\n");
        hosts.http.writeDrive(iso, hosts.auth, image);
        data = hosts.createDrive("name data\nsize 64M\n");
        assertThat(hosts.driveInfo(data)).containsEntry("encryption:cipher", "aes-xts-plain");
        hosts.http.writeDrive(data, hosts.auth, TestGuest.DATA);
    }

    /**
     * The storage process's NBD server files for its nbd.address (which the guest's QEMU checks the
     * certificate against), signed by the tests' CA: the CA whose certificate libvirt's QEMU
     * presents as a client and trusts.
     */
    private static Path nbdServerFiles() throws Exception {
        assertThat(Libvirt.run(Duration.ofSeconds(10), "ip", "route", "show", "table", "local", NBD_ADDRESS))
                .as("the route of deploy/start-services.sh").contains("quickack 1");
        for (Path needed : List.of(TESTS_CA.resolve("ca-key.pem"), QEMU_CLIENT.resolve("client-key.pem"))) {
            if (!Files.isReadable(needed)) {
                fail(needed + " is missing: deploy/start-services.sh makes the tests' CA and libvirt's NBD"
                        + " client certificate");
            }
        }
        Path files = WORK.resolve("nbd-tls");
        ThreeHosts.internalCa("host", NBD_ADDRESS, "--ca-dir", TESTS_CA.toString(),
                "--out", WORK.resolve("nbd-host").toString(), "--qemu-dir", files.toString());
        assertThat(Files.readString(QEMU_CLIENT.resolve("ca-cert.pem")))
                .as("libvirt's QEMU trusts the CA that signs the exports' certificate (deploy/start-services.sh)")
                .isEqualTo(Files.readString(files.resolve("ca-cert.pem")));
        return files;
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
        // over TLS: both disks say so, and a client without a certificate of the CA gets nothing
        Matcher source = NBD_SOURCE.matcher(domain);
        int sources = 0;
        while (source.find()) {
            sources++;
            assertThat(source.group(2)).as(domain).contains("tls='yes'");
            String uri = "nbd://" + source.group(3) + ":" + source.group(4) + "/" + source.group(1);
            assertThat(Libvirt.refused(Duration.ofSeconds(30), "qemu-img", "info", uri))
                    .as("plain NBD to %s", uri).contains("TLS");
        }
        assertThat(sources).as(domain).isEqualTo(2);
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
