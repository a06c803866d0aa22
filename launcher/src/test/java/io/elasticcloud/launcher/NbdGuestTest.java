package io.elasticcloud.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.elasticcloud.agent.libvirt.LibvirtHypervisor;
import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.agent.DiskBus;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.CpuSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.Media;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.bus.InProcessTransport;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DetachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ImportVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ListExports;
import io.elasticcloud.storage.StoragePools;
import io.elasticcloud.storage.StorageProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;

/**
 * Two "hosts" in one process: a real guest under {@code qemu:///system} on hypervisor host {@code
 * hv-a} boots the test guest's ISO from a storage node of host {@code storage-b} through its NBD
 * export (qemu-storage-daemon on loopback), and sees a raw and a LUKS drive of that node over NBD
 * (the LUKS one decrypted by the guest's QEMU, with its key as an ephemeral libvirt secret) beside
 * a drive of a storage node of its own host, attached by path from its 0600 file. The guest sees
 * the same disks either way. Fails (never skips) where libvirt or QEMU are missing; every guest,
 * secret and export daemon is removed when the test ends.
 */
@Tag("libvirt")
@Tag("qemu")
@Tag("guest")
class NbdGuestTest {
    private static final String URI = "qemu:///system";
    private static final Path WORK = Path.of("target", "nbd-guest").toAbsolutePath();
    private static final long SIZE = 16L << 20;

    private final InProcessTransport bus = new InProcessTransport();
    private StoragePools remote;
    private StoragePools local;
    private Connect keeper;

    @BeforeEach
    void hostsReady() throws Exception {
        for (String binary : List.of("/usr/sbin/libvirtd", "/usr/bin/qemu-system-x86_64", "/usr/bin/qemu-storage-daemon")) {
            if (!Files.isExecutable(Path.of(binary))) {
                fail(binary + " is missing: deploy/install-deps.sh installs libvirt and QEMU");
            }
        }
        keeper = connectStartingDaemons();
        Files.createDirectories(WORK);
        run(Duration.ofMinutes(2), Path.of("..", "deploy", "build-test-guest.sh").toAbsolutePath().toString(),
                WORK.resolve("guest").toString());
        String run = UUID.randomUUID().toString().substring(0, 8);
        int firstPort = 21000 + new Random().nextInt(400) * 20;
        remote = pools("pool-remote-" + run, "storage-b", firstPort);
        local = pools("pool-local-" + run, "hv-a", firstPort + 10);
    }

    private StoragePools pools(String pool, String host, int firstPort) throws IOException {
        Path dir = WORK.resolve(pool);
        return new StoragePools(new StorageProperties(
                List.of(new StorageProperties.Pool(pool, dir.resolve("volumes"), pool, null)),
                dir.resolve("keys/master.key"), Duration.ofSeconds(60), 1, Duration.ofMillis(250), 8, host,
                new StorageProperties.Nbd("127.0.0.1", firstPort + "-" + (firstPort + 9), "qemu-storage-daemon",
                        dir.resolve("exports"), Duration.ofSeconds(20)),
                new StorageProperties.DataPath(null, 0, null, 1), null), dir, bus);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (StoragePools pools : new StoragePools[] {remote, local}) {
            if (pools != null) {
                pools.exports().stopAll();
                pools.close();
            }
        }
        bus.close();
        if (keeper != null) {
            keeper.close();
        }
    }

    @Test
    void aGuestBootsAndSeesItsDrivesOverNbdFromAnotherStorageHostAndByPathFromItsOwn() throws Exception {
        String remoteNode = remote.nodes().get(0).name();
        String localNode = local.nodes().get(0).name();
        call(remoteNode, new ImportVolume("i1", "iso", WORK.resolve("guest/test-guest.iso").toString(), Cipher.NONE));
        call(remoteNode, new CreateVolume("c1", "data", SIZE, Cipher.NONE));
        call(remoteNode, new CreateVolume("c2", "secret", SIZE, Cipher.AES_XTS_PLAIN));
        call(localNode, new CreateVolume("c3", "near", SIZE, Cipher.AES_XTS_PLAIN));
        Path nearFile = WORK.resolve(localNode).resolve("volumes/near.luks");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nearFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nearFile.getParent()))).isEqualTo("rwx--x--x");

        String server = UUID.randomUUID().toString();
        String holder = server + "/1";
        VolumeAttachment iso = call(remoteNode, new AttachVolume("a1", "iso", "hv-a", holder, true));
        VolumeAttachment data = call(remoteNode, new AttachVolume("a2", "data", "hv-a", holder));
        VolumeAttachment secret = call(remoteNode, new AttachVolume("a3", "secret", "hv-a", holder, true));
        VolumeAttachment near = call(localNode, new AttachVolume("a4", "near", "hv-a", holder));
        assertThat(List.of(iso, data, secret)).allSatisfy(a -> assertThat(a.nbd()).isNotNull());
        assertThat(near.nbd()).isNull();
        assertThat(near.path()).isEqualTo(nearFile.toString());

        Path consoles = WORK.resolve("consoles");
        GuestSpec spec = new GuestSpec(server, "nbd guest", new CpuSpec(1, 1, 1, 2000), 256, List.of(
                new DiskSpec(DiskBus.IDE, 0, 0, Media.CDROM, iso),
                new DiskSpec(DiskBus.BLOCK, 0, 0, Media.DISK, data),
                new DiskSpec(DiskBus.BLOCK, 0, 1, Media.DISK, secret, true), // a read-only LUKS export
                new DiskSpec(DiskBus.SCSI, 0, 0, Media.DISK, near)), List.of(), List.of("ide:0:0"), null);
        try (LibvirtHypervisor hypervisor = new LibvirtHypervisor(new LibvirtHypervisor.Settings(URI, "qemu", consoles, false))) {
            try {
                hypervisor.start(spec);
                Path console = consoles.resolve("elastic-" + server + ".log");
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (!(Files.exists(console) && Files.readString(console).contains("ELASTIC-TEST-GUEST-READY"))) {
                    if (System.nanoTime() > deadline) {
                        fail("the guest did not boot over NBD within 3 minutes:\n"
                                + (Files.exists(console) ? Files.readString(console) : "(no console)"));
                    }
                    Thread.sleep(200);
                }
                String log = Files.readString(console);
                System.out.println("guest over NBD:\n" + log);
                assertThat(log).contains("ELASTIC-TEST-GUEST-BOOTED")
                        .containsPattern("DISK name=sr0 bus=ide ro=1")
                        .containsPattern("DISK name=vda bus=virtio ro=0 sectors=32768")
                        .containsPattern("DISK name=vdb bus=virtio ro=1 sectors=32768")
                        .containsPattern("DISK name=sda bus=scsi ro=0 sectors=32768");
                GuestInfo info = hypervisor.inspect(server).orElseThrow();
                assertThat(info.disks()).filteredOn(d -> d.device().equals("ide:0:0"))
                        .allSatisfy(d -> assertThat(d.readBytes()).isPositive());
                String xml = keeper.domainLookupByName("elastic-" + server).getXMLDesc(0);
                assertThat(xml).contains("protocol='nbd'").contains("name='127.0.0.1'")
                        .doesNotContain(WORK.resolve(remoteNode).toString());
            } finally {
                hypervisor.destroy(server);
            }
        }
        for (String volume : List.of("iso", "data", "secret")) {
            call(remoteNode, new DetachVolume("d-" + volume, volume, holder));
        }
        assertThat(call(remoteNode, new ListExports("l1")).exports()).isEmpty();
        // libvirt gave the file back: still private to the storage service
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nearFile))).isEqualTo("rw-------");
        assertThat(Files.getOwner(nearFile)).isEqualTo(Files.getOwner(nearFile.getParent()));
    }

    private <R> R call(String node, Command<R> command) throws Exception {
        return bus.request(node, command, Duration.ofSeconds(60)).get(90, TimeUnit.SECONDS);
    }

    private static Connect connectStartingDaemons() throws Exception {
        try {
            return new Connect(URI);
        } catch (Exception first) {
            // no systemd here: start the daemons by hand, as an operator would
            if (!Files.exists(Path.of("/run/libvirt/virtlogd-sock"))) {
                run(Duration.ofSeconds(20), "/usr/sbin/virtlogd", "-d");
            }
            run(Duration.ofSeconds(20), "/usr/sbin/libvirtd", "-d");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    return new Connect(URI);
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("libvirtd did not answer at " + URI + " within 30 s", e);
                    }
                    Thread.sleep(250);
                }
            }
        }
    }

    private static void run(Duration limit, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " took longer than " + limit);
        }
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
