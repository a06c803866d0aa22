package io.elasticcloud.storage.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link VolumeBackend} promises a storage node, run against each backend: the
 * in-memory double the fast tests use and the real ones. A new backend (LVM) is one subclass
 * giving {@link #open}. Sizes stay small and ciphers are both kinds, so that an encrypting
 * backend shows the same bytes as a plain one.
 */
public abstract class VolumeBackendContract {
    private static final int MIB = 1 << 20;

    @TempDir
    protected Path dir;
    protected VolumeBackend backend;

    /** A backend with no volumes, keeping whatever it keeps under {@code dir} (which it may ignore). */
    protected abstract VolumeBackend open(Path dir) throws IOException;

    @BeforeEach
    void openBackend() throws IOException {
        backend = open(dir);
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void assertError(ErrorType type, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ElasticException.class, e -> assertThat(e.type()).isEqualTo(type));
    }

    private byte[] read(String volume, long offset, int length) throws IOException {
        byte[] back = new byte[length];
        try (VolumeHandle h = backend.open(volume)) {
            int n = h.read(offset, back, 0, length);
            return Arrays.copyOf(back, n);
        }
    }

    private void write(String volume, long offset, byte[] data) throws IOException {
        try (VolumeHandle h = backend.open(volume)) {
            h.write(offset, data, 0, data.length);
            h.force();
        }
    }

    @ParameterizedTest
    @EnumSource(Cipher.class)
    void aNewVolumeReadsAsZerosAndIsDescribed(Cipher cipher) throws IOException {
        VolumeInfo info = backend.create("fresh", MIB, cipher, null);
        assertThat(info.volume()).isEqualTo("fresh");
        assertThat(info.size()).isEqualTo(MIB);
        assertThat(info.cipher()).isEqualTo(cipher);
        assertThat(backend.describe("fresh")).map(VolumeInfo::size).contains((long) MIB);
        assertThat(backend.describe("fresh")).map(VolumeInfo::cipher).contains(cipher);
        assertThat(read("fresh", MIB - 4096, 4096)).isEqualTo(new byte[4096]);
        try (VolumeHandle h = backend.open("fresh")) {
            assertThat(h.size()).isEqualTo(MIB);
        }
    }

    @ParameterizedTest
    @EnumSource(Cipher.class)
    void writtenBytesReadBackAtTheirOffset(Cipher cipher) throws IOException {
        backend.create("data", MIB, cipher, null);
        byte[] data = random(70_000, 1);
        write("data", 12_345, data);
        assertThat(read("data", 12_345, data.length)).isEqualTo(data);
        assertThat(read("data", 0, 12_345)).isEqualTo(new byte[12_345]);
    }

    @ParameterizedTest
    @EnumSource(Cipher.class)
    void aVolumeCreatedWithContentHoldsExactlyIt(Cipher cipher) throws IOException {
        byte[] content = random(200_000, 2);
        VolumeInfo info = backend.create("imported", content.length, cipher, new ByteArrayInputStream(content));
        assertThat(info.size()).isEqualTo(content.length);
        assertThat(read("imported", 0, content.length + 10)).isEqualTo(content);
    }

    @Test
    void contentShorterThanTheSizeCreatesNothing() {
        assertThatThrownBy(() -> backend.create("short", 100_000, Cipher.NONE, new ByteArrayInputStream(new byte[10])))
                .isInstanceOf(IOException.class);
        assertThat(describe("short")).isFalse();
    }

    @Test
    void readsEndAtTheEndOfTheVolume() throws IOException {
        backend.create("edge", 4096, Cipher.NONE, null);
        assertThat(read("edge", 4000, 500)).hasSize(96);
        assertThat(read("edge", 4096, 500)).isEmpty();
        assertThat(read("edge", 10_000, 500)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Cipher.class)
    void aWritePastTheEndIsFullAndWritesNothing(Cipher cipher) throws IOException {
        backend.create("small", 8192, cipher, null);
        byte[] data = random(1000, 3);
        try (VolumeHandle h = backend.open("small")) {
            assertError(ErrorType.FULL, () -> h.write(8000, data, 0, data.length));
        }
        assertThat(read("small", 7000, 1192)).isEqualTo(new byte[1192]);
    }

    @ParameterizedTest
    @EnumSource(Cipher.class)
    void growingKeepsTheDataAndAddsZeros(Cipher cipher) throws IOException {
        backend.create("grows", MIB, cipher, null);
        byte[] data = random(5000, 4);
        write("grows", MIB - 5000, data);
        VolumeInfo grown = backend.grow("grows", 2L * MIB);
        assertThat(grown.size()).isEqualTo(2L * MIB);
        assertThat(grown.cipher()).isEqualTo(cipher);
        assertThat(read("grows", MIB - 5000, 5000)).isEqualTo(data);
        assertThat(read("grows", MIB, MIB)).isEqualTo(new byte[MIB]);
        assertThat(backend.grow("grows", MIB).size()).as("a smaller size changes nothing").isEqualTo(2L * MIB);
    }

    @Test
    void aHandleKeepsTheSizeItWasOpenedWith() throws IOException {
        backend.create("sized", 4096, Cipher.NONE, null);
        try (VolumeHandle h = backend.open("sized")) {
            backend.grow("sized", 8192);
            assertThat(h.size()).isEqualTo(4096);
        }
        try (VolumeHandle h = backend.open("sized")) {
            assertThat(h.size()).isEqualTo(8192);
        }
    }

    @Test
    void destroyRemovesTheVolumeAndSaysWhetherItExisted() throws IOException {
        backend.create("doomed", 4096, Cipher.AES_XTS_PLAIN, null);
        assertThat(backend.destroy("doomed")).isTrue();
        assertThat(describe("doomed")).isFalse();
        assertThat(backend.list()).isEmpty();
        assertThat(backend.destroy("doomed")).isFalse();
        assertError(ErrorType.MISSING, () -> backend.open("doomed"));
        backend.create("doomed", 8192, Cipher.NONE, null);
        assertThat(backend.describe("doomed")).map(VolumeInfo::size).contains(8192L);
    }

    @Test
    void aMissingVolumeIsMissing() throws IOException {
        assertThat(backend.describe("nothing")).isEmpty();
        assertError(ErrorType.MISSING, () -> backend.open("nothing"));
        assertError(ErrorType.MISSING, () -> backend.grow("nothing", 4096));
        assertError(ErrorType.MISSING, () -> backend.attachment("nothing"));
    }

    @Test
    void namesSizesAndExistingVolumesAreChecked() throws IOException {
        backend.create("taken", 4096, Cipher.NONE, null);
        assertError(ErrorType.USAGE, () -> backend.create("taken", 4096, Cipher.NONE, null));
        assertError(ErrorType.USAGE, () -> backend.create("../escape", 4096, Cipher.NONE, null));
        assertError(ErrorType.USAGE, () -> backend.create("negative", -1, Cipher.NONE, null));
        assertError(ErrorType.USAGE, () -> backend.describe("a/b"));
        assertError(ErrorType.USAGE, () -> backend.destroy(".hidden"));
        assertThat(backend.list()).extracting(VolumeInfo::volume).containsExactly("taken");
    }

    @Test
    void everyVolumeIsListedInNameOrderAndCountedInTheTotals() throws IOException {
        backend.create("c", 3 * 4096, Cipher.NONE, null);
        backend.create("a", 4096, Cipher.AES_XTS_PLAIN, null);
        backend.create("b", 2 * 4096, Cipher.NONE, null);
        assertThat(backend.list()).extracting(VolumeInfo::volume).containsExactly("a", "b", "c");
        assertThat(backend.totalSize()).isEqualTo(6 * 4096);
        VolumeBackend.Space space = backend.space();
        assertThat(space.promised()).as("sizes and overheads").isGreaterThanOrEqualTo(6 * 4096);
        assertThat(space.unwritten()).isBetween(0L, space.promised());
        assertThat(backend.footprint(4096, Cipher.AES_XTS_PLAIN)).isGreaterThanOrEqualTo(4096);
        assertThat(backend.footprint(4096, Cipher.NONE)).isGreaterThanOrEqualTo(4096);
    }

    private boolean describe(String volume) {
        try {
            return backend.describe(volume).isPresent();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
