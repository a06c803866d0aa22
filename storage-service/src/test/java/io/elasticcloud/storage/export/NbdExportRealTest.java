package io.elasticcloud.storage.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DestroyVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DetachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ListExports;
import io.elasticcloud.storage.StoragePools;
import io.elasticcloud.storage.StorageProperties;
import io.elasticcloud.storage.testing.PacketCapture;
import io.elasticcloud.storage.testing.RecordingTransport;
import io.elasticcloud.storage.volume.QemuTool;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real exports: a storage node on "host" {@code storage-b} exports a raw and a LUKS volume to a
 * guest of host {@code hv-a} through qemu-storage-daemon on loopback; qemu-img and qemu-io read
 * them through NBD ({@code nbd://127.0.0.1:PORT/EXPORT}, the LUKS one with its passphrase as a
 * qemu secret) byte for byte as written through the storage node, and what they write there the
 * node reads back. A restart of the storage service adopts the running daemons; detaching stops
 * them. Every daemon is stopped when the test ends. Fails (never skips) without qemu-utils (and
 * root and tcpdump for the capture).
 */
@Tag("qemu")
class NbdExportRealTest {
    static final String NODE = "pool-b";
    static final int SIZE = 4 << 20;

    @TempDir
    Path dir;
    RecordingTransport bus = new RecordingTransport();
    StoragePools pools;
    int firstPort;

    @BeforeEach
    void start() throws IOException {
        QemuTool.requireQemu();
        firstPort = 20000 + new Random().nextInt(400) * 20;
        pools = pools();
    }

    StoragePools pools() throws IOException {
        return new StoragePools(properties(dir, firstPort, null), dir, bus);
    }

    /** A storage node {@code storage-b} with one pool in {@code dir}, exporting on 20 ports from {@code firstPort}. */
    static StorageProperties properties(Path dir, int firstPort, Path tlsDir) {
        return new StorageProperties(
                List.of(new StorageProperties.Pool(NODE, dir.resolve("volumes"), "hw-b", null)),
                dir.resolve("keys/master.key"), Duration.ofSeconds(60), 1, Duration.ofMillis(250), 8, "storage-b",
                new StorageProperties.Nbd("127.0.0.1", firstPort + "-" + (firstPort + 19), "qemu-storage-daemon",
                        dir.resolve("exports"), Duration.ofSeconds(20), tlsDir),
                new StorageProperties.DataPath(null, 0, null, 1), null);
    }

    @AfterEach
    void stop() throws IOException {
        if (pools != null) {
            pools.exports().stopAll();
            pools.close();
        }
    }

    @Test
    void guestsOfAnotherHostReadAndWriteRawAndLuksVolumesThroughNbd() throws Exception {
        byte[] plain = random(SIZE, 1);
        byte[] secret = random(SIZE, 2);
        bus.call(NODE, new CreateVolume("c1", "raw-vol", SIZE, Cipher.NONE));
        bus.call(NODE, new CreateVolume("c2", "enc-vol", SIZE, Cipher.AES_XTS_PLAIN));
        write("raw-vol", plain);
        write("enc-vol", secret);

        VolumeAttachment local = bus.call(NODE, new AttachVolume("a0", "raw-vol", "STORAGE-B", "s0/1"));
        assertThat(local.nbd()).isNull();
        assertThat(local.path()).endsWith("/volumes/raw-vol.raw");
        assertThat(bus.call(NODE, new ListExports("l0")).exports()).isEmpty();

        VolumeAttachment raw = bus.call(NODE, new AttachVolume("a1", "raw-vol", "hv-a", "s1/100"));
        VolumeAttachment enc = bus.call(NODE, new AttachVolume("a2", "enc-vol", "hv-a", "s1/100"));
        assertThat(raw.path()).isNull();
        assertThat(raw.nbd().host()).isEqualTo("127.0.0.1");
        assertThat(raw.nbd().port()).isBetween(firstPort, firstPort + 19);
        assertThat(raw.nbd().export()).isEqualTo("raw-vol");
        assertThat(enc.nbd().port()).isNotEqualTo(raw.nbd().port());
        assertThat(enc.cipher()).isEqualTo(Cipher.AES_XTS_PLAIN);
        assertThat(enc.passphrase()).isNotBlank();

        assertThat(readRaw(raw)).isEqualTo(plain);
        assertThat(readLuks(enc)).isEqualTo(secret);
        // the wire and the daemon carry only ciphertext: read without the key, the export is the LUKS file
        byte[] onTheWire = readRaw(enc);
        assertThat(new String(onTheWire, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("LUKS");
        assertThat(onTheWire).isEqualTo(Files.readAllBytes(dir.resolve("volumes/enc-vol.luks")));

        // what a guest writes through NBD, the storage node reads
        QemuTool.run(List.of("qemu-io", "-f", "raw", "-c", "write -P 0x5a 4096 8192", raw.nbd().uri()));
        luksIo(enc, "write -P 0xa5 1048576 4096");
        assertThat(read("raw-vol", 4096, 8192)).containsOnly((byte) 0x5a);
        assertThat(read("enc-vol", 1048576, 4096)).containsOnly((byte) 0xa5);

        // a restart of the storage service adopts the running daemons: the guest's connection is kept
        List<Long> daemons = daemons();
        assertThat(daemons).hasSize(2);
        pools.close();
        pools = pools();
        assertThat(daemons()).isEqualTo(daemons);
        assertThat(bus.call(NODE, new ListExports("l1")).exports()).hasSize(2);
        assertThat(readRaw(raw)).startsWith(java.util.Arrays.copyOf(plain, 4096));
        assertThat(bus.call(NODE, new AttachVolume("a3", "raw-vol", "hv-c", "s2/200")).nbd()).isEqualTo(raw.nbd());

        // detached by its last holder, an export stops; destroying a volume stops its export
        bus.call(NODE, new DetachVolume("d1", "raw-vol", "s1/100"));
        assertThat(listening(raw.nbd().port())).isTrue();
        bus.call(NODE, new DetachVolume("d2", "raw-vol", "s2/200"));
        assertThat(listening(raw.nbd().port())).isFalse();
        bus.call(NODE, new DestroyVolume("d3", "enc-vol"));
        assertThat(listening(enc.nbd().port())).isFalse();
        assertThat(bus.call(NODE, new ListExports("l2")).exports()).isEmpty();
        assertThat(daemons()).isEmpty();
        assertThatThrownBy(() -> readRaw(raw)).isInstanceOf(IOException.class);
    }

    @Test
    void aDaemonThatDiedWhileTheServiceWasDownIsStartedAgainOnItsPort() throws Exception {
        byte[] plain = random(SIZE, 3);
        bus.call(NODE, new CreateVolume("c1", "raw-vol", SIZE, Cipher.NONE));
        write("raw-vol", plain);
        VolumeAttachment raw = bus.call(NODE, new AttachVolume("a1", "raw-vol", "hv-a", "s1/100"));
        pools.close();
        for (long pid : daemons()) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroyForcibly();
                p.onExit().join();
            });
        }
        assertThat(listening(raw.nbd().port())).isFalse();

        pools = pools();

        assertThat(readRaw(raw)).isEqualTo(plain);
        assertThat(bus.call(NODE, new ListExports("l1")).exports().get(0).holders()).containsExactly("s1/100");
    }

    @Test
    void aReadOnlyExportRefusesWritesAndOpensBesideTheWritableOne() throws Exception {
        byte[] plain = random(SIZE, 4);
        bus.call(NODE, new CreateVolume("c1", "raw-vol", SIZE, Cipher.NONE));
        write("raw-vol", plain);
        VolumeAttachment reader = bus.call(NODE, new AttachVolume("a1", "raw-vol", "hv-a", "reader/1", true));
        // the owner's guest starts after the reader's: the read-only daemon must not lock it out
        VolumeAttachment owner = bus.call(NODE, new AttachVolume("a2", "raw-vol", "hv-c", "owner/2"));
        assertThat(reader.nbd().port()).isNotEqualTo(owner.nbd().port());
        assertThat(bus.call(NODE, new ListExports("l1")).exports())
                .extracting(e -> e.holders().get(0) + (e.readOnly() ? " ro" : " rw"))
                .containsExactlyInAnyOrder("reader/1 ro", "owner/2 rw");

        assertThatThrownBy(() -> QemuTool.run(List.of("qemu-io", "-f", "raw", "-c", "write -P 0x66 1048576 4096",
                reader.nbd().uri()))).isInstanceOf(IOException.class);
        assertThat(read("raw-vol", 1048576, 4096)).isEqualTo(java.util.Arrays.copyOfRange(plain, 1048576, 1048576 + 4096));
        assertThat(readRaw(reader)).isEqualTo(plain);

        QemuTool.run(List.of("qemu-io", "-f", "raw", "-c", "write -P 0x77 0 4096", owner.nbd().uri()));
        assertThat(read("raw-vol", 0, 4096)).containsOnly((byte) 0x77);
        assertThat(readRaw(reader)).startsWith(read("raw-vol", 0, 4096));

        // a holder lets go of whichever export it holds; destroying the volume stops both
        bus.call(NODE, new DetachVolume("d1", "raw-vol", "reader/1"));
        assertThat(listening(reader.nbd().port())).isFalse();
        assertThat(listening(owner.nbd().port())).isTrue();
        bus.call(NODE, new AttachVolume("a3", "raw-vol", "hv-a", "reader/3", true));
        bus.call(NODE, new DestroyVolume("d2", "raw-vol"));
        assertThat(daemons()).isEmpty();
    }

    /**
     * The control of {@link NbdExportTlsRealTest#aCaptureOfATlsExportShowsNoneOfWhatTheClientReads}:
     * over a plain export, the same capture does show the bytes a client reads. On loopback, where
     * the test's exports listen; an operator captures the storage network's interface instead.
     */
    @Test
    @Tag("root")
    void aCaptureOfAPlainExportShowsWhatTheClientReads() throws Exception {
        byte[] marker = random(32, 5);
        bus.call(NODE, new CreateVolume("c1", "raw-vol", SIZE, Cipher.NONE));
        write("raw-vol", PacketCapture.repeated(marker, SIZE));
        VolumeAttachment raw = bus.call(NODE, new AttachVolume("a1", "raw-vol", "hv-a", "s1/100"));
        byte[] seen;
        try (PacketCapture capture = PacketCapture.start(dir, raw.nbd().port())) {
            assertThat(readRaw(raw)).isEqualTo(PacketCapture.repeated(marker, SIZE));
            seen = capture.stop();
        }
        assertThat(seen.length).as("the capture holds the volume's bytes").isGreaterThan(SIZE);
        assertThat(PacketCapture.contains(seen, marker)).as("plain NBD shows what it carries").isTrue();
    }

    private List<Long> daemons() {
        return new ArrayList<>(new QemuStorageDaemons("qemu-storage-daemon", Duration.ofSeconds(5))
                .running(dir.resolve("exports")).stream().sorted().toList());
    }

    private void write(String volume, byte[] data) throws IOException {
        try (VolumeHandle handle = pools.nodes().get(0).backend().open(volume)) {
            handle.write(0, data, 0, data.length);
            handle.force();
        }
    }

    private byte[] read(String volume, long offset, int length) throws IOException {
        byte[] back = new byte[length];
        try (VolumeHandle handle = pools.nodes().get(0).backend().open(volume)) {
            handle.read(offset, back, 0, length);
        }
        return back;
    }

    private byte[] readRaw(VolumeAttachment attachment) throws IOException {
        Path out = dir.resolve("out-" + System.nanoTime() + ".raw");
        QemuTool.run(List.of("qemu-img", "convert", "-f", "raw", "-O", "raw", attachment.nbd().uri(), out.toString()));
        return Files.readAllBytes(out);
    }

    private byte[] readLuks(VolumeAttachment attachment) throws IOException {
        Path out = dir.resolve("out-" + System.nanoTime() + ".raw");
        withSecret(attachment, secret -> QemuTool.run(List.of("qemu-img", "convert", "--object", secret,
                "--image-opts", luksOverNbd(attachment), "-O", "raw", out.toString())));
        return Files.readAllBytes(out);
    }

    private void luksIo(VolumeAttachment attachment, String command) throws IOException {
        withSecret(attachment, secret -> QemuTool.run(List.of("qemu-io", "--object", secret, "--image-opts",
                luksOverNbd(attachment), "-c", command)));
    }

    private static String luksOverNbd(VolumeAttachment a) {
        return "driver=luks,key-secret=sec0,file.driver=nbd,file.server.type=inet,file.server.host=" + a.nbd().host()
                + ",file.server.port=" + a.nbd().port() + ",file.export=" + a.nbd().export();
    }

    private interface WithSecret {
        String run(String secretObject) throws IOException;
    }

    private void withSecret(VolumeAttachment attachment, WithSecret action) throws IOException {
        Path secret = Files.createTempFile(dir, ".secret-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(secret, attachment.passphrase());
            action.run("secret,id=sec0,format=raw,file=" + secret);
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
