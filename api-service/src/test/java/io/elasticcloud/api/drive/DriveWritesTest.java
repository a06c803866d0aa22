package io.elasticcloud.api.drive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.elasticcloud.api.ApiProperties;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.settings.DataDirectory;
import io.elasticcloud.protocol.storage.VolumeRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.unit.DataSize;

/** The body's way through: in memory within the budget, else the encrypted spool; nothing left over. */
class DriveWritesTest {
    private static final int MIB = 1024 * 1024;
    private static final UUID USER = UUID.randomUUID();
    private static final UUID OTHER = UUID.randomUUID();
    private static final UUID DRIVE = UUID.randomUUID();

    @TempDir
    Path data;

    private final DriveData driveData = mock(DriveData.class);
    /** What each data.write saw: its bytes, and the spool files that existed meanwhile. */
    private final List<byte[]> written = Collections.synchronizedList(new ArrayList<>());
    private final List<List<Path>> spoolsDuringWrite = Collections.synchronizedList(new ArrayList<>());
    private final List<Boolean> spooled = Collections.synchronizedList(new ArrayList<>());
    /** USER's writes wait here once their bodies are taken, each counted in {@code entered}. */
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final Semaphore entered = new Semaphore(0);

    @Test
    void aLargeGzipBodyGoesThroughAnEncryptedSpoolThatIsGoneAfterwards() throws IOException {
        DriveWrites writes = writes(DataSize.ofMegabytes(256));
        byte[] body = marked(12 * MIB);
        writes.write(USER, DRIVE, 0, gzipRequest(body));
        assertThat(written).hasSize(1);
        assertThat(written.get(0)).isEqualTo(body);
        assertThat(spoolsDuringWrite.get(0)).isEmpty(); // nameless
        assertThat(spooled.get(0)).isTrue();
        assertThat(WriteSpoolTest.files(data.resolve("tmp"))).isEmpty();
        assertThat(writes.memoryLeft()).isEqualTo(256 * MIB);
    }

    @Test
    void aSmallGzipBodyStaysInMemory() throws IOException {
        DriveWrites writes = writes(DataSize.ofMegabytes(256));
        byte[] body = marked(MIB);
        writes.write(USER, DRIVE, 0, gzipRequest(body));
        assertThat(written.get(0)).isEqualTo(body);
        assertThat(spooled.get(0)).isFalse();
    }

    @Test
    void whenTheMemoryBudgetIsSpentEvenASmallBodyIsSpooledNotRefused() throws IOException {
        DriveWrites writes = writes(DataSize.ofMegabytes(4)); // less than one write's 8 MiB in memory
        byte[] body = marked(MIB);
        writes.write(USER, DRIVE, 0, gzipRequest(body));
        assertThat(written.get(0)).isEqualTo(body);
        assertThat(spoolsDuringWrite.get(0)).isEmpty(); // nameless
        assertThat(spooled.get(0)).isTrue();
        assertThat(writes.memoryLeft()).isEqualTo(4 * MIB);
    }

    @Test
    void oneCustomersWritesHoldAtMostAQuarterOfEachBudget() throws Exception {
        // a quarter of 32 MiB is one body in memory; of 128 MiB, one 16 MiB spool
        DriveWrites writes = writes(DataSize.ofMegabytes(32), DataSize.ofMegabytes(128));
        gate = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Callable<Void> write = () -> {
                writes.write(USER, DRIVE, 0, gzipRequest(marked(MIB)));
                return null;
            };
            Future<Void> inMemory = threads.submit(write);
            assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            Future<Void> onDisk = threads.submit(write);
            assertThat(entered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            Future<Void> third = threads.submit(write);
            assertThatThrownBy(() -> third.get(10, TimeUnit.SECONDS)).as("past the account's share of both budgets")
                    .cause().isInstanceOfSatisfying(ElasticException.class,
                            e -> assertThat(e.type()).isEqualTo(io.elasticcloud.protocol.ErrorType.BUSY));
            // another account still has the rest of both
            writes.write(OTHER, DRIVE, 0, gzipRequest(marked(MIB)));
            assertThat(spooled).containsExactly(false);
            gate.countDown();
            inMemory.get(10, TimeUnit.SECONDS);
            onDisk.get(10, TimeUnit.SECONDS);
            assertThat(spooled).containsExactlyInAnyOrder(false, false, true);
            assertThat(writes.memoryLeft()).isEqualTo(32 * MIB);
        } finally {
            gate.countDown();
            threads.shutdownNow();
        }
    }

    @Test
    void aBodyOverTheLimitWritesNothingAndLeavesNothing() throws IOException {
        DriveWrites writes = writes(DataSize.ofMegabytes(256));
        assertThatThrownBy(() -> writes.write(USER, DRIVE, 0, gzipRequest(marked(17 * MIB))))
                .isInstanceOf(ElasticException.class).hasMessageContaining("at most");
        assertThat(written).isEmpty();
        assertThat(WriteSpoolTest.files(data.resolve("tmp"))).isEmpty();
        assertThat(writes.memoryLeft()).isEqualTo(256 * MIB);
    }

    @Test
    void pastBothBudgetsAWriteIsBusyBeforeItsBodyIsRead() throws IOException {
        DriveWrites writes = writes(DataSize.ofMegabytes(4), DataSize.ofMegabytes(16)); // room for no 16 MiB spool
        MockHttpServletRequest request = gzipRequest(marked(MIB));
        var in = request.getInputStream();
        assertThatThrownBy(() -> writes.write(USER, DRIVE, 0, request))
                .isInstanceOfSatisfying(ElasticException.class,
                        e -> assertThat(e.type()).isEqualTo(io.elasticcloud.protocol.ErrorType.BUSY))
                .hasMessageContaining("elastic.write-spool-disk");
        assertThat(in.isFinished()).as("the body was not read").isFalse();
        assertThat(written).isEmpty();
        assertThat(writes.memoryLeft()).isEqualTo(4 * MIB);
    }

    @Test
    void aClientGoneWhileItsBodyIsSpooledIsOneUsageLineNotASystemError() throws IOException {
        DriveWrites writes = writes(DataSize.ofMegabytes(256));
        InputStream cut = new InputStream() {
            private long left = 9L * MIB; // past the 8 MiB held in memory: into the spool

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0];
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    throw new IOException("Connection reset by peer"); // as Tomcat's ClientAbortException
                }
                int n = (int) Math.min(len, left);
                left -= n;
                return n;
            }
        };
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/drives/" + DRIVE + "/write") {
            @Override
            public long getContentLengthLong() {
                return -1; // chunked
            }

            @Override
            public jakarta.servlet.ServletInputStream getInputStream() {
                return new org.springframework.mock.web.DelegatingServletInputStream(cut);
            }
        };
        assertThatThrownBy(() -> writes.write(USER, DRIVE, 0, request))
                .isInstanceOf(ElasticException.class).hasMessage("the request body could not be read");
        assertThat(written).isEmpty();
        assertThat(writes.memoryLeft()).isEqualTo(256 * MIB);
    }

    private DriveWrites writes(DataSize memory) throws IOException {
        return writes(memory, DataSize.ofGigabytes(2));
    }

    private DriveWrites writes(DataSize memory, DataSize disk) throws IOException {
        ApiProperties properties = new ApiProperties(null, Duration.ofSeconds(30), DataSize.ofMegabytes(16),
                memory, null, disk);
        DriveData.WritePlan plan = new DriveData.WritePlan(DRIVE, new VolumeRef("pool-0", "v"), 0, 64L * MIB);
        DriveData.WritePlan others = new DriveData.WritePlan(DRIVE, new VolumeRef("pool-0", "w"), 0, 64L * MIB);
        when(driveData.planWrite(USER, DRIVE, 0)).thenReturn(plan);
        when(driveData.planWrite(OTHER, DRIVE, 0)).thenReturn(others);
        doAnswer(call -> {
            if (call.getArgument(0).equals(plan)) {
                entered.release();
                gate.await();
            }
            spoolsDuringWrite.add(WriteSpoolTest.files(data.resolve("tmp")));
            spooled.add(!(call.getArgument(2) instanceof java.io.ByteArrayInputStream));
            long length = call.getArgument(1);
            byte[] bytes = ((InputStream) call.getArgument(2)).readAllBytes();
            assertThat(bytes).hasSize((int) length);
            written.add(bytes);
            return null;
        }).when(driveData).write(any(DriveData.WritePlan.class), anyLong(), any(InputStream.class));
        return new DriveWrites(driveData, properties, new WriteSpool(new DataDirectory(data)));
    }

    private static MockHttpServletRequest gzipRequest(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        }
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/drives/" + DRIVE + "/write");
        request.addHeader("Content-Encoding", "gzip");
        request.setContent(out.toByteArray());
        return request;
    }

    private static byte[] marked(int length) {
        byte[] line = "marker line of a drive write\n".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = line[i % line.length];
        }
        return b;
    }
}
