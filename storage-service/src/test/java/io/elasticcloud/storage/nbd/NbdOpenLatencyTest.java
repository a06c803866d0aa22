package io.elasticcloud.storage.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.storage.volume.QemuTool;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opening an export of qemu-storage-daemon does not wait for delayed ACKs: the server sends its
 * replies to NBD_OPT_GO as separate small writes with Nagle on, and without quick ACKs every open
 * took 40-60 ms (Linux's delayed-ACK timer), on loopback as over a storage box's link. The storage
 * service opens two connections per API request to an encrypted LVM volume.
 */
@Tag("qemu")
class NbdOpenLatencyTest {
    static final int OPENS = 9;

    @TempDir
    Path dir;

    @Test
    void anOpenTakesMillisecondsNotTheDelayedAckTimer() throws Exception {
        QemuTool.requireQemu();
        Path file = dir.resolve("volume.raw");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(1 << 20);
        }
        long[] millis = new long[OPENS];
        try (QemuNbdServer server = QemuNbdServer.start(file, "vol", false, dir.resolve("pid"))) {
            for (int i = 0; i < OPENS; i++) {
                long start = System.nanoTime();
                try (NbdClient client = new NbdClient(server.target, Duration.ofSeconds(2), Duration.ofSeconds(10))) {
                    assertThat(client.export().size()).isEqualTo(1 << 20);
                }
                millis[i] = (System.nanoTime() - start) / 1_000_000;
            }
        }
        Arrays.sort(millis);
        System.out.printf("NBD open (connect + NBD_OPT_GO) on loopback, ms: %s%n", Arrays.toString(millis));
        assertThat(millis[OPENS / 2]).as("median open, ms").isLessThan(30);
    }
}
