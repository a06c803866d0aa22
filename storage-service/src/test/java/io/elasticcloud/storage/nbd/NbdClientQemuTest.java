package io.elasticcloud.storage.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.storage.volume.QemuTool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against the real server the storage hosts run: qemu-storage-daemon exporting a
 * sparse file on loopback. The file is larger than the volume, as a dm-crypt device rounded up to
 * whole extents is. Fails (never skips) without qemu-storage-daemon.
 */
@Tag("qemu")
class NbdClientQemuTest {
    static final int EXPORT_BYTES = 40 << 20;
    static final long VOLUME_BYTES = EXPORT_BYTES - 12345;
    static final Duration CONNECT = Duration.ofSeconds(2);
    static final Duration READ = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    Path file;
    QemuNbdServer server;

    @BeforeEach
    void start() throws IOException {
        QemuTool.requireQemu();
        file = dir.resolve("volume.raw");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(EXPORT_BYTES);
        }
        server = QemuNbdServer.start(file, "vol", false, dir.resolve("rw.pid"));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theHandshakeGivesTheExportsSizeAndWhatItOffers() throws IOException {
        try (NbdClient client = new NbdClient(server.target, CONNECT, READ)) {
            assertThat(client.export().size()).isEqualTo(EXPORT_BYTES);
            assertThat(client.export().readOnly()).isFalse();
            assertThat(client.export().canFlush()).isTrue();
            assertThat(client.export().canTrim()).isTrue();
            assertThat(client.export().canWriteZeroes()).isTrue();
        }
    }

    @Test
    void writesAtRandomUnalignedOffsetsReadBackAndLandInTheFile() throws IOException {
        byte[] model = new byte[(int) VOLUME_BYTES];
        Random random = new Random(42);
        try (NbdVolumeHandle volume = NbdVolumeHandle.open(server.target, VOLUME_BYTES, CONNECT, READ)) {
            for (int i = 0; i < 200; i++) {
                int length = 1 + random.nextInt(i % 10 == 0 ? 3 << 20 : 9000);
                int offset = random.nextInt(model.length - length);
                byte[] data = new byte[length];
                random.nextBytes(data);
                volume.write(offset, data, 0, length);
                System.arraycopy(data, 0, model, offset, length);
            }
            // one write and one read over the 32 MiB a request may carry: split, and still whole
            byte[] big = new byte[(33 << 20) + 777];
            random.nextBytes(big);
            volume.write(4097, big, 0, big.length);
            System.arraycopy(big, 0, model, 4097, big.length);
            volume.force();

            byte[] back = new byte[model.length + 3];
            assertThat(volume.read(0, back, 3, model.length)).isEqualTo(model.length);
            assertThat(Arrays.copyOfRange(back, 3, back.length)).isEqualTo(model);
            byte[] piece = new byte[1001];
            assertThat(volume.read(3_333_333, piece, 0, piece.length)).isEqualTo(piece.length);
            assertThat(piece).isEqualTo(Arrays.copyOfRange(model, 3_333_333, 3_334_334));
        }
        assertThat(Arrays.copyOf(Files.readAllBytes(file), model.length)).isEqualTo(model);
    }

    @Test
    void holesAndZeroedRangesReadAsZerosAndTrimIsAccepted() throws IOException {
        byte[] ones = new byte[1 << 20];
        Arrays.fill(ones, (byte) 1);
        try (NbdClient client = new NbdClient(server.target, CONNECT, READ)) {
            byte[] hole = new byte[3 << 20];
            Arrays.fill(hole, (byte) 9);
            client.read(5_000_001, hole, 0, hole.length);
            assertThat(hole).containsOnly((byte) 0);

            client.write(0, ones, 0, ones.length);
            client.writeZeroes(1000, 5000);
            byte[] back = new byte[ones.length];
            client.read(0, back, 0, back.length);
            assertThat(Arrays.copyOfRange(back, 0, 1000)).containsOnly((byte) 1);
            assertThat(Arrays.copyOfRange(back, 1000, 6000)).containsOnly((byte) 0);
            assertThat(Arrays.copyOfRange(back, 6000, back.length)).containsOnly((byte) 1);

            // a trimmed range may read back as anything; qemu-storage-daemon as the service starts
            // it (no discard=unmap) keeps the data. Either way the request succeeds and the connection goes on.
            client.trim(0, ones.length);
            client.flush();
            client.read(0, back, 0, back.length);
            assertThat(back).containsAnyOf((byte) 0, (byte) 1).doesNotContain((byte) 2, (byte) 9);
        }
    }

    @Test
    void readsEndAtTheLogicalSizeAndAWritePastItIsFullAndWritesNothing() throws IOException {
        try (NbdVolumeHandle volume = NbdVolumeHandle.open(server.target, VOLUME_BYTES, CONNECT, READ)) {
            assertThat(volume.size()).isEqualTo(VOLUME_BYTES);
            byte[] tail = new byte[100];
            Arrays.fill(tail, (byte) 7);
            volume.write(VOLUME_BYTES - 10, tail, 0, 10);
            assertThat(volume.read(VOLUME_BYTES - 10, tail, 0, 100)).isEqualTo(10);
            assertThat(volume.read(VOLUME_BYTES, tail, 0, 100)).isZero();
            assertThat(volume.read(VOLUME_BYTES + 5000, tail, 0, 100)).isZero();

            assertThatThrownBy(() -> volume.write(VOLUME_BYTES - 10, tail, 0, 11))
                    .isInstanceOfSatisfying(ElasticException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.FULL));
            assertThatThrownBy(() -> volume.write(EXPORT_BYTES, tail, 0, 1)).isInstanceOf(ElasticException.class);
            volume.force();
        }
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(Arrays.copyOfRange(onDisk, (int) VOLUME_BYTES - 10, (int) VOLUME_BYTES)).containsOnly((byte) 7);
        assertThat(Arrays.copyOfRange(onDisk, (int) VOLUME_BYTES, EXPORT_BYTES)).containsOnly((byte) 0);
        assertThatThrownBy(() -> NbdVolumeHandle.open(server.target, EXPORT_BYTES + 1L, CONNECT, READ))
                .isInstanceOf(IOException.class).hasMessageContaining("does not fit NBD export");
    }

    @Test
    void aReadOnlyExportRefusesWritesWithEperm() throws Exception {
        byte[] data = new byte[4096];
        Arrays.fill(data, (byte) 3);
        try (NbdVolumeHandle writer = NbdVolumeHandle.open(server.target, VOLUME_BYTES, CONNECT, READ)) {
            writer.write(8192, data, 0, data.length);
            writer.force();
        }
        try (QemuNbdServer readOnly = QemuNbdServer.start(file, "vol-ro", true, dir.resolve("ro.pid"));
                NbdVolumeHandle reader = NbdVolumeHandle.open(readOnly.target, VOLUME_BYTES, CONNECT, READ)) {
            byte[] back = new byte[4096];
            reader.read(8192, back, 0, back.length);
            assertThat(back).isEqualTo(data);
            assertThatThrownBy(() -> reader.write(0, data, 0, data.length))
                    .isInstanceOfSatisfying(NbdErrorException.class, e -> assertThat(e.errno()).isEqualTo(NbdErrno.EPERM))
                    .hasMessageContaining("EPERM").hasMessageContaining("read-only").hasMessageContaining("'vol-ro'");
            // the refusal leaves the connection usable
            assertThat(reader.read(8192, back, 0, back.length)).isEqualTo(back.length);
        }
        assertThat(Arrays.copyOf(Files.readAllBytes(file), 4096)).containsOnly((byte) 0);
    }

    /** Error replies from the real server: blkdebug makes every write fail there with the errno. */
    @Test
    void serverErrorsAreNamedAndNoSpaceIsFullAndTheConnectionGoesOn() throws Exception {
        byte[] data = new byte[4096];
        Path failingFile = dir.resolve("failing.raw");
        try (RandomAccessFile raf = new RandomAccessFile(failingFile.toFile(), "rw")) {
            raf.setLength(EXPORT_BYTES);
        }
        try (QemuNbdServer failing = QemuNbdServer.failingWrites(failingFile, NbdErrno.ENOSPC, dir.resolve("enospc.pid"));
                NbdVolumeHandle volume = NbdVolumeHandle.open(failing.target, VOLUME_BYTES, CONNECT, READ)) {
            assertThatThrownBy(() -> volume.write(0, data, 0, data.length))
                    .isInstanceOfSatisfying(ElasticException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.FULL))
                    .hasMessageContaining("ENOSPC");
            assertThat(volume.read(0, data, 0, data.length)).isEqualTo(data.length);
        }
        try (QemuNbdServer failing = QemuNbdServer.failingWrites(failingFile, NbdErrno.EIO, dir.resolve("eio.pid"));
                NbdVolumeHandle volume = NbdVolumeHandle.open(failing.target, VOLUME_BYTES, CONNECT, READ)) {
            assertThatThrownBy(() -> volume.write(512, data, 0, data.length))
                    .isInstanceOfSatisfying(NbdErrorException.class, e -> assertThat(e.errno()).isEqualTo(NbdErrno.EIO))
                    .hasMessage("WRITE of 4096 bytes at offset 512 on NBD export 'vol' at " + failing.target + " failed: EIO");
            volume.force();
        }
    }

    @Test
    void anUnknownExportIsAClearError() {
        NbdTarget wrong = new NbdTarget("127.0.0.1", server.target.port(), "no-such-volume");
        assertThatThrownBy(() -> new NbdClient(wrong, CONNECT, READ)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot open NBD export 'no-such-volume' at " + wrong + ": unknown export");
    }

    @Test
    void aServerKilledMidSessionIsAnIoExceptionNotAHang() throws Exception {
        byte[] buf = new byte[4 << 20];
        try (NbdVolumeHandle volume = NbdVolumeHandle.open(server.target, VOLUME_BYTES, CONNECT, READ)) {
            volume.write(0, buf, 0, buf.length);
            server.signal("KILL");
            long started = System.nanoTime();
            assertThatThrownBy(() -> {
                // the first write may still fit the socket's buffers; its reply never comes
                volume.write(0, buf, 0, buf.length);
                volume.read(0, buf, 0, buf.length);
            }).isInstanceOf(IOException.class).hasMessageContaining(server.target.toString());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(READ.plusSeconds(1));
            assertThatThrownBy(() -> volume.read(0, buf, 0, 1)).isInstanceOf(IOException.class)
                    .hasMessageContaining("failed earlier");
        }
    }

    @Test
    void aServerThatStopsAnsweringTimesOutWithinTheTimeout() throws Exception {
        byte[] buf = new byte[4096];
        try (NbdVolumeHandle volume = NbdVolumeHandle.open(server.target, VOLUME_BYTES, CONNECT, READ)) {
            volume.read(0, buf, 0, buf.length);
            server.signal("STOP");
            long started = System.nanoTime();
            assertThatThrownBy(() -> volume.read(0, buf, 0, buf.length)).isInstanceOf(IOException.class)
                    .hasMessageContaining("no answer within the timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(READ.minusMillis(100), READ.plusSeconds(1));
        }
    }

    /** A socket's read timeout does not bound a write the peer stops taking: the send watchdog does. */
    @Test
    void aWriteTheServerStopsTakingTimesOutWithinTheTimeout() throws Exception {
        byte[] big = new byte[32 << 20];
        try (NbdVolumeHandle volume = NbdVolumeHandle.open(server.target, VOLUME_BYTES, CONNECT, READ)) {
            volume.write(0, big, 0, 4096);
            server.signal("STOP");
            long started = System.nanoTime();
            // more than the socket buffers of both ends hold
            assertThatThrownBy(() -> volume.write(0, big, 0, big.length)).isInstanceOf(IOException.class)
                    .hasMessageContaining("no answer within the timeout (send timed out)");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(READ.plusSeconds(1));
        }
    }
}
