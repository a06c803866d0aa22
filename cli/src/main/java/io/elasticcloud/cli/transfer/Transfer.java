package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.ExitCode;
import io.elasticcloud.cli.api.ApiClient;
import io.elasticcloud.cli.api.ApiPaths;
import io.elasticcloud.cli.progress.Progress;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What upload, verification and download share: the settings of a transfer, its worker threads,
 * and reading a drive's chunks in parallel, in order.
 */
public record Transfer(ApiClient api, String drive, int parallel, Retry retry, RateLimit rateLimit) {

    /** Receives a drive's chunks in order: chunk {@code index}, {@code data} exactly its bytes. */
    public interface ChunkSink {
        void accept(long index, byte[] data);
    }

    public ExecutorService workers(String name) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Chunks {@code first} .. end of {@code plan} read from the drive, {@code parallel} at a time. */
    public void readChunks(ChunkPlan plan, long first, Progress progress, ChunkSink sink) {
        ExecutorService pool = workers("read");
        OrderedWindow<Object[]> window = new OrderedWindow<>(pool, parallel * 2,
                r -> sink.accept((Long) r[0], (byte[]) r[1]));
        try {
            for (long i = first; i < plan.count(); i++) {
                long index = i;
                window.submit(() -> {
                    byte[] data = readChunk(plan, index);
                    progress.add(data.length);
                    return new Object[] {index, data};
                });
            }
            window.drain();
        } finally {
            window.cancel();
            pool.shutdownNow();
        }
    }

    byte[] readChunk(ChunkPlan plan, long index) {
        long offset = plan.offset(index);
        int size = plan.size(index);
        String path = "/drives/" + ApiPaths.segment(drive) + "/read/" + offset + "/" + size;
        return retry.run("reading chunk " + index, () -> {
            rateLimit.acquire(size);
            byte[] b = api.call("GET", path, null, "application/octet-stream").body();
            if (b.length != size) {
                // a transient kind (PROTOCOL): a cut connection can look like this
                throw new CliException(ExitCode.PROTOCOL, "http", "read " + b.length + " bytes at " + offset
                        + " where " + size + " were expected");
            }
            return b;
        });
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
