package io.elasticcloud.storage.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import io.elasticcloud.storage.volume.QemuTool;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether the synchronous client is fast enough without pipelining: 4 MiB requests against
 * qemu-storage-daemon exporting a file on loopback, beside qemu's own NBD client doing the same
 * in the same run ({@code qemu-img bench} one request at a time, {@code qemu-img convert} with its
 * own parallelism). Best of three rounds each, so a busy moment on a shared host does not decide.
 * The figures are printed; the assertion is the 200 MiB/s a synchronous client must reach.
 */
@Tag("qemu")
class NbdThroughputTest {
    static final int REQUEST = 4 << 20;
    static final int TOTAL = 256 << 20;
    static final int ROUNDS = 3;
    static final Pattern BENCH = Pattern.compile("Run completed in ([0-9.]+) seconds");

    @TempDir
    Path dir;

    @Test
    void fourMebibyteRequestsKeepUpWithQemusOwnClient() throws Exception {
        QemuTool.requireQemu();
        Path file = dir.resolve("volume.raw");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(TOTAL);
        }
        byte[] chunk = new byte[REQUEST];
        new Random(7).nextBytes(chunk);
        double[] best = new double[5];
        try (QemuNbdServer server = QemuNbdServer.start(file, "vol", false, dir.resolve("rw.pid"));
                NbdClient client = new NbdClient(server.target, Duration.ofSeconds(2), Duration.ofSeconds(30))) {
            String uri = server.target.toString();
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                for (long at = 0; at < TOTAL; at += REQUEST) {
                    client.write(at, chunk, 0, REQUEST);
                }
                // timed without the flush, as qemu-img bench times its writes
                best[0] = Math.max(best[0], mibPerSecond(System.nanoTime() - start));
                client.flush();

                start = System.nanoTime();
                byte[] back = new byte[REQUEST];
                for (long at = 0; at < TOTAL; at += REQUEST) {
                    client.read(at, back, 0, REQUEST);
                }
                best[1] = Math.max(best[1], mibPerSecond(System.nanoTime() - start));
                assertThat(back).isEqualTo(chunk);

                best[2] = Math.max(best[2], bench(uri, false));
                best[3] = Math.max(best[3], bench(uri, true));

                Path out = dir.resolve("out.raw");
                start = System.nanoTime();
                QemuTool.run(List.of("qemu-img", "convert", "-f", "raw", "-O", "raw", uri, out.toString()));
                best[4] = Math.max(best[4], mibPerSecond(System.nanoTime() - start));
                Files.delete(out);
            }
        }
        System.out.printf("NBD 4 MiB requests on loopback, MiB/s (best of %d): this client write %.0f read %.0f;"
                + " qemu-img bench -d 1 read %.0f write %.0f; qemu-img convert (read, to a local file) %.0f%n",
                ROUNDS, best[0], best[1], best[2], best[3], best[4]);
        // the bar for staying synchronous (no pipelining). Not a ratio to qemu's figures: on a
        // shared host those swung by 2-3x between runs (746 to 2116 MiB/s for the same bench read)
        assertThat(best[0]).as("this client's 4 MiB writes, MiB/s").isGreaterThan(200);
        assertThat(best[1]).as("this client's 4 MiB reads, MiB/s").isGreaterThan(200);
    }

    /** {@code qemu-img bench} over the whole export, one 4 MiB request at a time: its own timing, in MiB/s. */
    private static double bench(String uri, boolean write) throws IOException {
        List<String> command = new ArrayList<>(List.of("qemu-img", "bench", "-f", "raw", "-c",
                Integer.toString(TOTAL / REQUEST), "-s", Integer.toString(REQUEST), "-d", "1"));
        if (write) {
            command.add("-w");
        }
        command.add(uri);
        Matcher m = BENCH.matcher(QemuTool.run(command));
        assertThat(m.find()).as("qemu-img bench's summary line").isTrue();
        return (TOTAL >> 20) / Double.parseDouble(m.group(1));
    }

    private static double mibPerSecond(long nanos) {
        return (TOTAL >> 20) / (nanos / 1e9);
    }
}
