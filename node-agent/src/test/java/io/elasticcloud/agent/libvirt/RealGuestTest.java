package io.elasticcloud.agent.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.elasticcloud.agent.hypervisor.GuestEvent;
import io.elasticcloud.agent.testing.RealHost;
import io.elasticcloud.agent.testing.Specs;
import io.elasticcloud.protocol.agent.DiskBus;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.CpuSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.agent.Media;
import io.elasticcloud.protocol.agent.NicModel;
import io.elasticcloud.protocol.agent.StateReason;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.Cipher;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.Network;

/**
 * A real guest under {@code qemu:///system}: the test guest of {@code deploy/build-test-guest.sh}
 * boots from its ISO on an IDE cdrom, sees drives on IDE, SCSI and virtio (one of them qemu LUKS,
 * unlocked through an ephemeral secret), gets a DHCP lease on an isolated network in
 * 169.254.0.0/16, and powers off on an ACPI shutdown. This test starts virtlogd and libvirtd if
 * they do not run, and fails (never skips) where libvirt or QEMU are missing.
 */
@Tag("libvirt")
@Tag("guest")
class RealGuestTest {
    private static final String URI = RealHost.URI;
    private static final Path WORK = Path.of("target", "real-guest").toAbsolutePath();
    private static final String PASSPHRASE = "test-passphrase-" + UUID.randomUUID();
    private static Connect keeper;
    private static Network network;
    private static String networkName;
    private static int subnet;

    @BeforeAll
    static void hostReady() throws Exception {
        RealHost.requireLibvirtAndQemu();
        LibvirtEventLoop.ensureRunning();
        keeper = RealHost.connectStartingDaemons();
        Files.createDirectories(WORK);
        RealHost.buildTestGuest(WORK.resolve("guest"));
        subnet = 100 + (int) (Math.random() * 100);
        networkName = "elt-" + UUID.randomUUID().toString().substring(0, 8);
        String bridge = "elt" + networkName.substring(4, 10);
        network = keeper.networkCreateXML("<network><name>" + networkName + "</name><bridge name='" + bridge + "'/>"
                + "<ip address='169.254." + subnet + ".1' netmask='255.255.255.0'><dhcp><range start='169.254." + subnet
                + ".100' end='169.254." + subnet + ".199'/></dhcp></ip></network>");
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (network != null) {
            network.destroy();
        }
        if (keeper != null) {
            keeper.close();
        }
    }

    private static void run(Duration limit, String... command) throws IOException, InterruptedException {
        RealHost.run(limit, command);
    }

    private static String rawFile(String name) throws IOException {
        Path file = WORK.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(16L << 20);
        }
        return file.toString();
    }

    private static String luksFile(String name) throws Exception {
        Path file = WORK.resolve(name);
        // qemu-img's PBKDF2 calibration sometimes fails on a busy host ("Unable to get accurate
        // CPU usage"): try a few times
        for (int attempt = 1; ; attempt++) {
            Files.deleteIfExists(file);
            try {
                run(Duration.ofMinutes(1), "/usr/bin/qemu-img", "create", "-q", "-f", "luks", "--object",
                        "secret,id=s0,data=" + PASSPHRASE, "-o", "key-secret=s0,iter-time=100", file.toString(), "16M");
                return file.toString();
            } catch (AssertionError e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    @Test
    void aGuestBootsSeesEveryBusGetsALeaseAndPowersOffOnAcpi() throws Exception {
        String server = Specs.server();
        Path consoles = WORK.resolve("consoles");
        List<GuestEvent> events = new CopyOnWriteArrayList<>();
        List<DiskSpec> disks = List.of(
                new DiskSpec(DiskBus.IDE, 0, 0, Media.CDROM,
                        new VolumeAttachment("iso", WORK.resolve("guest/test-guest.iso").toString(), Cipher.NONE, null)),
                new DiskSpec(DiskBus.IDE, 0, 1, Media.DISK, new VolumeAttachment("d1", rawFile("ide.raw"), Cipher.NONE, null)),
                new DiskSpec(DiskBus.SCSI, 0, 3, Media.DISK, new VolumeAttachment("d2", rawFile("scsi.raw"), Cipher.NONE, null)),
                new DiskSpec(DiskBus.BLOCK, 0, 0, Media.DISK, new VolumeAttachment("d3", rawFile("virtio.raw"), Cipher.NONE, null)),
                new DiskSpec(DiskBus.BLOCK, 0, 1, Media.DISK,
                        new VolumeAttachment("d4", luksFile("virtio.luks"), Cipher.AES_XTS_PLAIN, PASSPHRASE)));
        GuestSpec spec = new GuestSpec(server, "real guest", new CpuSpec(1, 1, 1, 2000), 256, disks,
                List.of(new NicSpec(0, NicModel.E1000, Specs.mac(server), networkName)), List.of("ide:0:0"), null);

        long started = System.nanoTime();
        try (LibvirtHypervisor hypervisor = new LibvirtHypervisor(new LibvirtHypervisor.Settings(URI, "auto", consoles, false))) {
            hypervisor.onEvent(events::add);
            assertThat(hypervisor.domainType()).isEqualTo("qemu");
            try {
                hypervisor.start(spec);
                Path console = consoles.resolve("elastic-" + server + ".log");
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                        .until(() -> Files.exists(console) && Files.readString(console).contains("ELASTIC-TEST-GUEST-READY"));
                long bootMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                String log = Files.readString(console);
                System.out.println("test guest ready after " + bootMs + " ms:\n" + log);
                assertThat(log).contains("ELASTIC-TEST-GUEST-BOOTED")
                        .containsPattern("DISK name=sr0 bus=ide ro=1")
                        .containsPattern("DISK name=sd. bus=ide ro=0 sectors=32768")
                        .containsPattern("DISK name=sd. bus=scsi ro=0 sectors=32768")
                        .containsPattern("DISK name=vda bus=virtio ro=0 sectors=32768")
                        .containsPattern("DISK name=vdb bus=virtio ro=0 sectors=3[0-9]{4}")
                        .contains("NIC name=eth0 mac=" + Specs.mac(server) + " driver=e1000")
                        .containsPattern("DHCP name=eth0 ip=169\\.254\\." + subnet + "\\.1[0-9][0-9]");

                GuestInfo info = hypervisor.inspect(server).orElseThrow();
                assertThat(info.state()).isEqualTo(GuestState.RUNNING);
                assertThat(info.disks()).filteredOn(d -> d.device().equals("ide:0:0"))
                        .allSatisfy(d -> assertThat(d.readBytes()).isPositive());
                assertThat(info.nics().get(0).txPackets()).isPositive();
                assertThat(info.nics().get(0).rxPackets()).isPositive();
                assertThat(hypervisor.setCpuQuota(server, 500).cpuMhz()).isEqualTo(500);
                assertThat(keeper.listSecrets()).anySatisfy(uuid -> assertThat(
                        keeper.secretLookupByUUIDString(uuid).getXMLDesc()).contains(server));

                long shutdownAt = System.nanoTime();
                hypervisor.shutdown(server);
                await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(events)
                        .contains(new GuestEvent(server, GuestState.STOPPED, StateReason.GUEST_SHUTDOWN)));
                System.out.println("powered off " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - shutdownAt)
                        + " ms after the ACPI shutdown");
                assertThat(Files.readString(console)).contains("ELASTIC-TEST-GUEST-POWEROFF");
            } finally {
                hypervisor.destroy(server);
            }
            assertThat(hypervisor.list()).extracting(GuestInfo::server).doesNotContain(server);
            for (int id : keeper.listDomains()) {
                assertThat(keeper.domainLookupByID(id).getName()).isNotEqualTo("elastic-" + server);
            }
            assertThat(keeper.listDefinedDomains()).doesNotContain("elastic-" + server);
            for (String uuid : keeper.listSecrets()) {
                assertThat(keeper.secretLookupByUUIDString(uuid).getXMLDesc()).doesNotContain(server);
            }
        }
    }
}
