package io.elasticcloud.storage.volume;

import io.elasticcloud.protocol.secret.MasterKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.storage.luks.LuksHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our Java LUKS against the real qemu: each reads what the other wrote, and qemu sees our headers as its own. */
@Tag("qemu")
class LuksInteropTest {
    @TempDir
    Path dir;
    FileVolumeBackend backend;

    @BeforeEach
    void setUp() throws IOException {
        QemuTool.requireQemu();
        backend = new FileVolumeBackend(dir.resolve("pool"), MasterKey.random(), 16);
    }

    @AfterEach
    void tearDown() {
        backend.close();
    }

    @Test
    void qemuReadsWhatJavaWrote() throws IOException {
        long size = 3 * 1024 * 1024 + 4096;
        backend.create("v1", size, Cipher.AES_XTS_PLAIN, null);
        byte[] data = random((int) size, 11);
        try (VolumeHandle h = backend.open("v1")) {
            // unaligned pieces: exercises partial-sector read-modify-write at every edge
            h.write(0, data, 0, 1000);
            h.write(1000, data, 1000, 777_777);
            h.write(778_777, data, 778_777, (int) size - 778_777);
            h.force();
        }
        Path out = dir.resolve("plain.raw");
        QemuTool.decryptWithQemu(backend.volumeFile("v1"), backend.luksPassphrase("v1"), out);
        assertThat(Arrays.copyOf(Files.readAllBytes(out), (int) size)).isEqualTo(data);
    }

    @Test
    void javaReadsWhatQemuWrote() throws IOException {
        long size = 2 * 1024 * 1024;
        backend.create("v2", size, Cipher.AES_XTS_PLAIN, null);
        byte[] data = random((int) size, 12);
        Path in = dir.resolve("in.raw");
        Files.write(in, data);
        QemuTool.encryptWithQemu(in, backend.volumeFile("v2"), backend.luksPassphrase("v2"));
        byte[] back = new byte[(int) size];
        try (VolumeHandle h = backend.open("v2")) {
            assertThat(h.read(0, back, 0, back.length)).isEqualTo(back.length);
            // an unaligned read in the middle as well
            byte[] piece = new byte[10_000];
            assertThat(h.read(123_457, piece, 0, piece.length)).isEqualTo(piece.length);
            assertThat(piece).isEqualTo(Arrays.copyOfRange(data, 123_457, 133_457));
        }
        assertThat(back).isEqualTo(data);
    }

    @Test
    void qemuIoPatternWritesReadBackInJava() throws IOException {
        backend.create("v3", 1 << 20, Cipher.AES_XTS_PLAIN, null);
        QemuTool.qemuIo(backend.volumeFile("v3"), backend.luksPassphrase("v3"), "write -P 0xab 4096 8192");
        byte[] back = new byte[16384];
        try (VolumeHandle h = backend.open("v3")) {
            h.read(0, back, 0, back.length);
        }
        byte[] expected = new byte[16384];
        Arrays.fill(expected, 4096, 12288, (byte) 0xab);
        // sectors qemu never wrote are holes in the file: zeros through our API
        assertThat(back).isEqualTo(expected);
    }

    @Test
    void volumeFileHoldsNoPlaintext() throws IOException {
        backend.create("v4", 4 << 20, Cipher.AES_XTS_PLAIN, null);
        byte[] marker = "ELASTIC-PLAINTEXT-MARKER-0123456789".getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[1 << 20];
        for (int i = 0; i + marker.length <= data.length; i += marker.length) {
            System.arraycopy(marker, 0, data, i, marker.length);
        }
        try (VolumeHandle h = backend.open("v4")) {
            h.write(12345, data, 0, data.length);
            h.force();
            byte[] back = new byte[data.length];
            h.read(12345, back, 0, back.length);
            assertThat(back).isEqualTo(data);
        }
        byte[] file = Files.readAllBytes(backend.volumeFile("v4"));
        assertThat(indexOf(file, Arrays.copyOf(marker, 16))).isEqualTo(-1);
        byte[] sidecar = Files.readAllBytes(backend.volumeFile("v4").resolveSibling("v4.luks.key"));
        assertThat(indexOf(sidecar, backend.luksPassphrase("v4"))).isEqualTo(-1);
    }

    @Test
    void growingKeepsDataAndNewAreaReadsZeros() throws IOException {
        long size = 1000;
        backend.create("v5", size, Cipher.AES_XTS_PLAIN, null);
        byte[] data = random((int) size, 13);
        try (VolumeHandle h = backend.open("v5")) {
            h.write(0, data, 0, data.length);
            h.force();
        }
        VolumeInfo grown = backend.grow("v5", 5 << 20);
        assertThat(grown.size()).isEqualTo(5 << 20);
        byte[] back = new byte[5 << 20];
        try (VolumeHandle h = backend.open("v5")) {
            assertThat(h.size()).isEqualTo(5 << 20);
            assertThat(h.read(0, back, 0, back.length)).isEqualTo(back.length);
        }
        assertThat(Arrays.copyOf(back, 1000)).isEqualTo(data);
        assertThat(Arrays.copyOfRange(back, 1000, back.length)).containsOnly((byte) 0);
        // qemu sees the grown volume too, with our data at its start
        Path out = dir.resolve("grown.raw");
        QemuTool.decryptWithQemu(backend.volumeFile("v5"), backend.luksPassphrase("v5"), out);
        assertThat(Files.size(out)).isEqualTo(5 << 20);
        assertThat(Arrays.copyOf(Files.readAllBytes(out), 1000)).isEqualTo(data);
    }

    @Test
    void qemuImgInfoSeesTheJavaCreatedVolumeAsExpected() throws IOException {
        long size = (5 << 20) + 1000;
        backend.create("v6", size, Cipher.AES_XTS_PLAIN, null);
        String json = QemuTool.info(backend.volumeFile("v6"), backend.luksPassphrase("v6"));
        assertThat((String) JsonPath.read(json, "$.format")).isEqualTo("luks");
        assertThat((Boolean) JsonPath.read(json, "$.encrypted")).isTrue();
        // LUKS works in whole sectors: the usable size is kept in the key file
        assertThat(((Number) JsonPath.read(json, "$.virtual-size")).longValue()).isEqualTo((5 << 20) + 1024);
        assertThat(luks(json, "cipher-alg")).isEqualTo("aes-256");
        assertThat(luks(json, "cipher-mode")).isEqualTo("xts");
        assertThat(luks(json, "ivgen-alg")).isEqualTo("plain64");
        assertThat(luks(json, "hash-alg")).isEqualTo("sha256");
        assertThat(luks(json, "payload-offset")).isEqualTo(2_068_480);
        assertThat(luks(json, "master-key-iters")).isEqualTo(1000);
        assertThat(luks(json, "slots[0].active")).isEqualTo(true);
        assertThat(luks(json, "slots[0].iters")).isEqualTo(1000);
        assertThat(luks(json, "slots[0].stripes")).isEqualTo(4000);
        for (int i = 0; i < 8; i++) {
            assertThat(luks(json, "slots[" + i + "].key-offset")).isEqualTo(4096 + i * 258_048);
            assertThat(luks(json, "slots[" + i + "].active")).isEqualTo(i == 0);
        }
    }

    @Test
    void headerIsLaidOutByteForByteAsQemuImgLaysItOut() throws IOException {
        long size = 3 << 20;
        backend.create("v7", size, Cipher.AES_XTS_PLAIN, null);
        Path ours = backend.volumeFile("v7");
        Path theirs = dir.resolve("qemu.luks");
        QemuTool.createWithQemu(theirs, size, "any passphrase".getBytes(StandardCharsets.US_ASCII));
        byte[] a = Arrays.copyOf(Files.readAllBytes(ours), LuksHeader.LENGTH);
        byte[] b = Arrays.copyOf(Files.readAllBytes(theirs), LuksHeader.LENGTH);
        assertThat(Files.size(ours)).isEqualTo(Files.size(theirs));
        LuksHeader ourHeader = LuksHeader.parse(ByteBuffer.wrap(a));
        LuksHeader theirHeader = LuksHeader.parse(ByteBuffer.wrap(b));
        assertThat(ourHeader.uuid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(theirHeader.uuid()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(theirHeader.masterKeyDigestIterations()).isGreaterThanOrEqualTo(1000);
        // random or calibrated by qemu: master key digest, its salt and iterations, the UUID,
        // slot 0's iterations and salt. Every other byte must be qemu's own.
        for (byte[] header : List.of(a, b)) {
            Arrays.fill(header, 112, 208, (byte) 0);
            Arrays.fill(header, 212, 248, (byte) 0);
        }
        assertThat(HexFormat.of().formatHex(a)).isEqualTo(HexFormat.of().formatHex(b));
    }

    private static Object luks(String json, String path) {
        return JsonPath.read(json, "$.format-specific.data." + path);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
