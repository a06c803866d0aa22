package io.elasticcloud.storage.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our Java LUKS against the real qemu: each reads what the other wrote. */
class LuksInteropTest {
    @TempDir
    Path dir;
    FileVolumeBackend backend;

    @BeforeEach
    void setUp() throws IOException {
        QemuTool.requireQemu();
        backend = new FileVolumeBackend(dir.resolve("pool"), MasterKey.random(), QemuTool.QEMU_IMG, 16);
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
