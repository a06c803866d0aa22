package io.elasticcloud.storage.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.storage.StoragePools;
import io.elasticcloud.storage.testing.InternalCa;
import io.elasticcloud.storage.testing.PacketCapture;
import io.elasticcloud.storage.testing.RecordingTransport;
import io.elasticcloud.storage.volume.QemuTool;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real exports with {@code elastic.storage.nbd.tls-dir}: qemu-storage-daemon on loopback with a
 * server certificate of a test CA. qemu-img and qemu-io with a client certificate of that CA read
 * and write a raw and a LUKS volume through it; a client without TLS, one with TLS but no
 * certificate, and one whose certificate another CA signed are refused: they read nothing and
 * write nothing, and a capture of the wire holds none of what a client read. Every daemon is
 * stopped when the test ends. Fails (never skips) without qemu-utils and openssl (and root and
 * tcpdump for the capture).
 */
@Tag("qemu")
class NbdExportTlsRealTest {
    static final String NODE = "pool-b";
    static final int SIZE = 2 << 20;

    @TempDir
    Path dir;
    RecordingTransport bus = new RecordingTransport();
    StoragePools pools;
    InternalCa ca;
    InternalCa otherCa;

    @BeforeEach
    void start() throws Exception {
        QemuTool.requireQemu();
        ca = InternalCa.create(dir.resolve("ca"));
        otherCa = InternalCa.create(dir.resolve("other-ca"));
        int firstPort = 20000 + new Random().nextInt(400) * 20;
        pools = new StoragePools(NbdExportRealTest.properties(dir, firstPort, qemuFiles(ca, "storage", "127.0.0.1")),
                dir, bus);
    }

    @AfterEach
    void stop() throws IOException {
        if (pools != null) {
            pools.exports().stopAll();
            pools.close();
        }
    }

    @Test
    void onlyAClientWithACertificateOfTheCaReadsOrWritesAnExport() throws Exception {
        byte[] plain = NbdExportRealTest.random(SIZE, 11);
        byte[] secret = NbdExportRealTest.random(SIZE, 12);
        bus.call(NODE, new CreateVolume("c1", "raw-vol", SIZE, Cipher.NONE));
        bus.call(NODE, new CreateVolume("c2", "enc-vol", SIZE, Cipher.AES_XTS_PLAIN));
        write("raw-vol", plain);
        write("enc-vol", secret);
        VolumeAttachment raw = bus.call(NODE, new AttachVolume("a1", "raw-vol", "hv-a", "s1/100"));
        VolumeAttachment enc = bus.call(NODE, new AttachVolume("a2", "enc-vol", "hv-a", "s1/100"));
        assertThat(raw.nbd().tls()).as("the guest's host is told to connect with TLS").isTrue();
        assertThat(enc.nbd().tls()).isTrue();

        Path client = qemuFiles(ca, "hv-a", "hv-a.internal.test");
        assertThat(read(raw, client)).isEqualTo(plain);
        assertThat(read(enc, client)).isEqualTo(secret);
        io(raw, client, "write -P 0x5a 4096 4096");
        assertThat(stored("raw-vol", 4096, 4096)).containsOnly((byte) 0x5a);

        // refused: plain NBD, TLS without a certificate, a certificate of another CA; not even the export list
        Path anonymous = Files.createDirectories(dir.resolve("anonymous"));
        Files.copy(ca.dir().resolve("ca-cert.pem"), anonymous.resolve("ca-cert.pem"));
        // signed by another CA, trusting ours
        Path foreign = qemuFiles(otherCa, "intruder", "intruder.internal.test");
        Files.copy(ca.dir().resolve("ca-cert.pem"), foreign.resolve("ca-cert.pem"), StandardCopyOption.REPLACE_EXISTING);
        byte[] before = stored("raw-vol", 0, SIZE);
        List<String> refusals = new ArrayList<>();
        for (Path clientDir : Arrays.asList(null, anonymous, foreign)) {
            refusals.add(refused(() -> read(raw, clientDir)));
            refusals.add(refused(() -> io(raw, clientDir, "write -P 0x66 0 1048576")));
            refusals.add(refused(() -> read(enc, clientDir)));
        }
        refusals.add(refused(() -> QemuTool.run(List.of("qemu-nbd", "--list", "--host", "127.0.0.1",
                "--port", Integer.toString(raw.nbd().port())))));
        assertThat(refusals.get(0)).contains("TLS");
        assertThat(stored("raw-vol", 0, SIZE)).as("a refused client wrote nothing").isEqualTo(before);
        try (var outputs = Files.list(dir)) {
            assertThat(outputs.filter(p -> p.getFileName().toString().startsWith("out-")).filter(p -> sizeOf(p) > 0))
                    .as("only the reads with a certificate of the CA got bytes").hasSize(2);
        }

        // the refusals did not disturb the export: the certified client still reads
        assertThat(read(raw, client)).startsWith(Arrays.copyOf(stored("raw-vol", 0, 4096), 4096));
    }

    /**
     * What crosses the wire of a TLS export, captured with tcpdump while a client with a
     * certificate reads a raw and an encrypted volume, holds none of the bytes it read (the raw
     * volume's show what TLS hides; the encrypted one's are LUKS ciphertext besides). The capture
     * is on loopback, where the test's exports listen; an operator captures the storage network's
     * interface instead. Its control, the same capture over a plain export showing the bytes, is
     * {@link NbdExportRealTest#aCaptureOfAPlainExportShowsWhatTheClientReads}.
     */
    @Test
    @Tag("root")
    void aCaptureOfATlsExportShowsNoneOfWhatTheClientReads() throws Exception {
        byte[] marker = NbdExportRealTest.random(32, 13);
        byte[] pattern = PacketCapture.repeated(marker, SIZE);
        Path client = qemuFiles(ca, "hv-a", "hv-a.internal.test");
        for (Cipher cipher : new Cipher[] {Cipher.NONE, Cipher.AES_XTS_PLAIN}) {
            String volume = "vol-" + cipher.ordinal();
            bus.call(NODE, new CreateVolume("c" + volume, volume, SIZE, cipher));
            write(volume, pattern);
            VolumeAttachment a = bus.call(NODE, new AttachVolume("a" + volume, volume, "hv-a", "s1/100"));
            byte[] seen;
            try (PacketCapture capture = PacketCapture.start(dir, a.nbd().port())) {
                assertThat(read(a, client)).isEqualTo(pattern);
                seen = capture.stop();
            }
            assertThat(seen.length).as("the capture holds the read of " + cipher).isGreaterThan(SIZE);
            assertThat(PacketCapture.contains(seen, marker)).as("plaintext of " + cipher + " on the wire").isFalse();
        }
    }

    /** The volume's bytes as qemu-img reads them through its export, as the client of {@code clientDir} (null: no TLS). */
    private byte[] read(VolumeAttachment a, Path clientDir) throws IOException {
        Path out = dir.resolve("out-" + System.nanoTime() + ".raw");
        run(a, clientDir, List.of("qemu-img", "convert"), List.of("-O", "raw", out.toString()));
        return Files.readAllBytes(out);
    }

    private void io(VolumeAttachment a, Path clientDir, String command) throws IOException {
        run(a, clientDir, List.of("qemu-io"), List.of("-c", command));
    }

    /**
     * Runs a qemu tool on the export of {@code a} (LUKS opened with its passphrase), with TLS
     * credentials from {@code clientDir} when given.
     */
    private void run(VolumeAttachment a, Path clientDir, List<String> tool, List<String> after) throws IOException {
        List<String> command = new ArrayList<>(tool);
        String opts = (a.cipher() == Cipher.NONE ? "driver=raw" : "driver=luks,key-secret=sec0")
                + ",file.driver=nbd,file.server.type=inet,file.server.host=" + a.nbd().host()
                + ",file.server.port=" + a.nbd().port() + ",file.export=" + a.nbd().export();
        if (clientDir != null) {
            command.addAll(List.of("--object", "tls-creds-x509,id=tls0,endpoint=client,dir=" + clientDir));
            opts += ",file.tls-creds=tls0";
        }
        Path secret = null;
        try {
            if (a.cipher() != Cipher.NONE) {
                secret = Files.createTempFile(dir, ".secret-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(secret, a.passphrase(), StandardCharsets.UTF_8);
                command.addAll(List.of("--object", "secret,id=sec0,format=raw,file=" + secret));
            }
            command.addAll(List.of("--image-opts", opts));
            command.addAll(after);
            QemuTool.run(command);
        } finally {
            if (secret != null) {
                Files.deleteIfExists(secret);
            }
        }
    }

    private interface Attempt {
        void run() throws IOException;
    }

    /** What a refused client was told; fails the test if it was not refused. */
    private static String refused(Attempt attempt) {
        try {
            attempt.run();
        } catch (IOException e) {
            return e.getMessage();
        }
        throw new AssertionError("a client without a certificate of the CA was served");
    }

    /** QEMU's x509 files of a host of {@code ca}, as {@code deploy/internal-ca.sh --qemu-dir} writes them. */
    private Path qemuFiles(InternalCa of, String host, String name) throws Exception {
        Path qemu = dir.resolve(host + "-qemu");
        of.host(dir.resolve(host), List.of("--qemu-dir", qemu.toString()), name);
        return qemu;
    }

    private void write(String volume, byte[] data) throws IOException {
        try (VolumeHandle handle = pools.nodes().get(0).backend().open(volume)) {
            handle.write(0, data, 0, data.length);
            handle.force();
        }
    }

    private byte[] stored(String volume, long offset, int length) throws IOException {
        byte[] back = new byte[length];
        try (VolumeHandle handle = pools.nodes().get(0).backend().open(volume)) {
            handle.read(offset, back, 0, length);
        }
        return back;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
