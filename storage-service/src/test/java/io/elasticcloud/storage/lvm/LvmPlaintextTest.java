package io.elasticcloud.storage.lvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.storage.host.GuestAgentCommands;
import io.elasticcloud.storage.host.HostCommands;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Where an encrypted volume's bytes are: written through the backend, they are read back through
 * the volume's opened dm-crypt device inside the storage box, and are nowhere in the box's
 * physical volumes as the host keeps them. The same bytes in a cipher-none volume are found there:
 * the search itself works.
 */
@Tag("guest")
@Tag("root")
class LvmPlaintextTest {
    private static final int BLOCK = 4096;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private StorageBox box;
    private GuestAgentCommands commands;
    private LvmVolumeBackend backend;

    @BeforeEach
    void open() throws IOException {
        box = StorageBox.shared();
        commands = new GuestAgentCommands(box.agent());
        backend = new LvmVolumeBackend(commands, TIMEOUT, box.vg(), "thinpool",
                new BoxDevices(commands, box.address(), 10809, 10872, TIMEOUT), MasterKey.random());
    }

    @AfterEach
    void close() throws IOException {
        for (String volume : List.of("sealed", "open")) {
            backend.destroy(volume);
        }
        backend.close();
    }

    @Test
    void anEncryptedVolumesBytesAreInItsDeviceAndNotOnTheDisks() throws IOException {
        byte[] data = new byte[64 * BLOCK];
        new Random(14).nextBytes(data);
        long offset = 5L << 20;
        write("sealed", Cipher.AES_XTS_PLAIN, offset, data);

        HostCommands.Result dd = commands.run(List.of("dd", "if=/dev/mapper/" + LvmNames.crypt("sealed"), "bs=" + BLOCK,
                "skip=" + offset / BLOCK, "count=" + data.length / BLOCK, "iflag=direct"), new byte[0], TIMEOUT);
        assertThat(dd.exit()).as(dd.stderrText()).isZero();
        assertThat(dd.stdout()).as("the opened device shows the plaintext").isEqualTo(data);

        byte[] needle = Arrays.copyOfRange(data, 3 * BLOCK + 100, 3 * BLOCK + 164);
        assertThat(foundOnDisks(needle)).as("the encrypted volume's bytes on the box's disks").isFalse();

        write("open", Cipher.NONE, offset, data);
        assertThat(foundOnDisks(needle)).as("control: the same bytes in a cipher-none volume are found").isTrue();
    }

    private void write(String volume, Cipher cipher, long offset, byte[] data) throws IOException {
        if (backend.describe(volume).isEmpty()) {
            backend.create(volume, 16L << 20, cipher, null);
        }
        try (VolumeHandle handle = backend.open(volume)) {
            handle.write(offset, data, 0, data.length);
            handle.force();
        }
    }

    /** Whether any of the box's disk images holds {@code needle} (4 KiB blocks of zeros skipped). */
    private boolean foundOnDisks(byte[] needle) throws IOException {
        List<Path> disks;
        try (Stream<Path> files = Files.list(box.dir())) {
            disks = files.filter(p -> p.getFileName().toString().matches("pv-\\d+\\.img")).toList();
        }
        assertThat(disks).isNotEmpty();
        for (Path disk : disks) {
            if (contains(disk, needle)) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(Path file, byte[] needle) throws IOException {
        byte[] zero = new byte[BLOCK];
        ByteBuffer buf = ByteBuffer.allocate(8 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            while (true) {
                buf.clear();
                int n = 0;
                while (buf.hasRemaining()) {
                    int r = ch.read(buf, position + n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                if (n == 0) {
                    return false;
                }
                byte[] a = buf.array();
                for (int block = 0; block < n; block += BLOCK) {
                    int end = Math.min(n, block + BLOCK);
                    if (Arrays.mismatch(a, block, end, zero, 0, end - block) < 0) {
                        continue;
                    }
                    for (int i = block; i < end && i + needle.length <= n; i++) {
                        if (a[i] == needle[0] && Arrays.equals(a, i, i + needle.length, needle, 0, needle.length)) {
                            return true;
                        }
                    }
                }
                // the next buffer starts early enough that a needle across the seam is seen whole
                position += Math.max(1, n - needle.length);
                if (n < buf.capacity()) {
                    return false;
                }
            }
        }
    }
}
