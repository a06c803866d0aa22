package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.ExitCode;
import io.elasticcloud.cli.api.ApiClient;
import io.elasticcloud.cli.api.ApiPaths;
import io.elasticcloud.cli.progress.Progress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What upload, verification and download share: the settings of a transfer, its worker threads,
 * and reading a drive's chunks in parallel, in order.
 */
public record Transfer(ApiClient api, String drive, int parallel, Retry retry, RateLimit rateLimit) {
    /** How long a stopped transfer waits for its interrupted workers (a request in flight ends with its own timeout). */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    /** A chunk read from the drive into a pooled buffer: {@code data[0..length)}, its CRC-32, whether all zeros. */
    public record Chunk(long index, long offset, byte[] data, int length, long crc32, boolean zero) {
    }

    /** Does something with a chunk read from the drive. */
    public interface ChunkStep {
        void accept(Chunk chunk);
    }

    public ExecutorService workers(String name) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Chunks {@code first} .. end of {@code plan} read from the drive, {@code parallel} at a time,
     * each straight into one of {@code 2 × parallel + 1} pooled buffers: {@code onWorker} sees each
     * chunk on the thread that read it (in any order, several at once: e.g. a positional file
     * write), then {@code inOrder} sees them in chunk order (a running checksum, the resume state),
     * after which the buffer is used again.
     */
    public void readChunks(ChunkPlan plan, long first, Progress progress, ChunkStep onWorker, ChunkStep inOrder) {
        int inFlight = parallel * 2;
        BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(inFlight + 1);
        for (int i = 0; i < inFlight + 1; i++) {
            buffers.add(new byte[plan.chunkSize()]);
        }
        ExecutorService pool = workers("read");
        OrderedWindow<Chunk> window = new OrderedWindow<>(pool, inFlight, c -> {
            try {
                inOrder.accept(c);
            } finally {
                buffers.add(c.data());
            }
        });
        try {
            for (long i = first; i < plan.count(); i++) {
                long index = i;
                byte[] buf = take(buffers);
                window.submit(() -> {
                    try {
                        int n = readRange(index, plan.offset(index), plan.size(index), buf);
                        Chunk c = new Chunk(index, plan.offset(index), buf, n, Uploader.crc32(buf, n),
                                Zeros.isAllZero(buf, 0, n));
                        onWorker.accept(c);
                        progress.add(n);
                        return c;
                    } catch (RuntimeException | Error e) {
                        buffers.add(buf);
                        throw e;
                    }
                });
            }
            window.drain();
        } finally {
            window.cancel();
            stop(pool);
        }
    }

    /**
     * The workers interrupted and waited for (at most {@link #STOP_WAIT}): once a transfer returns,
     * none of its requests is still being sent, so a command run after it (a resume) is not
     * overtaken by a write of the run before.
     */
    static void stop(ExecutorService pool) {
        pool.shutdownNow();
        try {
            pool.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code size} bytes of the drive at {@code offset} into {@code into} (retried when transient); {@code size}. */
    int readRange(long index, long offset, int size, byte[] into) {
        String path = "/drives/" + ApiPaths.segment(drive) + "/read/" + offset + "/" + size;
        return retry.run("reading chunk " + index, () -> {
            rateLimit.acquire(size);
            int n = api.readInto(path, into);
            if (n != size) {
                // a transient kind (PROTOCOL): a cut connection can look like this
                throw new CliException(ExitCode.PROTOCOL, "http", "read " + (n < 0 ? "more than " + into.length : n)
                        + " bytes at " + offset + " where " + size + " were expected");
            }
            return n;
        });
    }

    static byte[] take(BlockingQueue<byte[]> q) {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.local("interrupted");
        }
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
