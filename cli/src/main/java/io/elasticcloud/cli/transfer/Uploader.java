package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;
import io.elasticcloud.cli.ExitCode;
import io.elasticcloud.cli.api.ApiPaths;
import io.elasticcloud.cli.api.Body;
import io.elasticcloud.cli.api.Sizes;
import io.elasticcloud.cli.progress.Progress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.zip.CRC32;

/**
 * Sends a content into a drive in gzipped chunks, several at once. One thread reads the source in
 * order (so the SHA-256 of the whole content is computed as it goes) into a small pool of chunk
 * buffers; the workers gzip and write them, retrying transient failures; results are taken in
 * chunk order, so the resume state always says "the first N chunks are done". On a new drive
 * (one this upload created, so still all zeros) chunks of zeros are not sent at all.
 */
public final class Uploader {
    /** Chunks that may be sent ahead of the last saved "submitted" mark (see {@link TransferState#submitted}). */
    static final int SUBMIT_BATCH = 64;
    static final long SAVE_EVERY_NANOS = 250_000_000L;

    private final Transfer transfer;
    private final long driveSize;
    private final TransferState state;
    private final Path statePath;
    private final Progress progress;
    private long lastSave;

    public Uploader(Transfer transfer, long driveSize, TransferState state, Path statePath, Progress progress) {
        this.transfer = transfer;
        this.driveSize = driveSize;
        this.state = state;
        this.statePath = statePath;
        this.progress = progress;
    }

    /** The result: bytes of content and their SHA-256. */
    public record Result(long length, byte[] sha256, long chunksSent, long zeroChunksSkipped, long chunksResumed) {
    }

    private record Sent(long index, long crc, boolean sent, boolean zeroSkipped) {
    }

    public Result run(Source source) {
        int chunk = state.chunkSize();
        int inFlight = transfer.parallel() * 2;
        BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(inFlight + 1);
        for (int i = 0; i < inFlight + 1; i++) {
            buffers.add(new byte[chunk]);
        }
        MessageDigest whole = sha256();
        long[] counts = new long[3];
        ExecutorService pool = transfer.workers("upload");
        ThreadLocal<ChunkGzip> gzips = ThreadLocal.withInitial(ChunkGzip::new);
        OrderedWindow<Sent> window = new OrderedWindow<>(pool, inFlight, s -> {
            if (s.index() >= state.done()) { // resumed chunks are recorded already
                state.markDone(s.index(), s.crc());
            }
            counts[0] += s.sent() ? 1 : 0;
            counts[1] += s.zeroSkipped() ? 1 : 0;
            saveSoon();
        });
        long resumable = state.done();
        // zero chunks below the last run's "submitted" mark are written even on a new drive: a
        // killed run may have left other bytes there
        long zeroFrom = state.submitted();
        long total = 0;
        try {
            for (long i = 0; ; i++) {
                byte[] buf = take(buffers);
                int n = source.readChunk(buf);
                if (n == 0) {
                    buffers.add(buf);
                    break;
                }
                whole.update(buf, 0, n);
                long offset = (long) i * chunk;
                total += n;
                if (offset + n > driveSize) {
                    throw CliException.api(ExitCode.FULL, "%s is larger than drive %s (%s); the first %s were written",
                            source.name(), transfer.drive(), Sizes.human(driveSize), Sizes.human(offset));
                }
                if (i < resumable) {
                    long crc = crc32(buf, n);
                    if (crc == state.crc(i)) {
                        counts[2]++;
                        progress.addSkipped(n);
                        buffers.add(buf);
                        long index = i;
                        window.submit(() -> new Sent(index, crc, false, false));
                        if (n < chunk) {
                            break;
                        }
                        continue;
                    }
                    // the bytes differ from what was sent: from here on, everything is sent again
                    progress.note("chunk " + i + " of " + source.name() + " changed since the interrupted upload; "
                            + "sending it and the rest again");
                    window.drain();
                    state.truncate(i);
                    resumable = i;
                }
                if (i >= state.submitted()) {
                    // before any chunk past the mark leaves, the mark moves on and is saved: a resume
                    // must write zero chunks below it (a kill may have left old bytes there)
                    state.setSubmitted(i + SUBMIT_BATCH);
                    saveNow();
                }
                boolean skipZeros = state.created() && i >= zeroFrom;
                window.submit(sendTask(i, offset, buf, n, skipZeros, buffers, gzips));
                if (n < chunk) {
                    break;
                }
            }
            window.drain();
        } catch (RuntimeException e) {
            window.cancel();
            saveQuietly();
            throw e;
        } finally {
            pool.shutdownNow();
        }
        saveNow();
        return new Result(total, whole.digest(), counts[0], counts[1], counts[2]);
    }

    private java.util.concurrent.Callable<Sent> sendTask(long index, long offset, byte[] buf, int n, boolean skipZeros,
                                                         BlockingQueue<byte[]> buffers, ThreadLocal<ChunkGzip> gzips) {
        return () -> {
            try {
                if (skipZeros && Zeros.isAllZero(buf, 0, n)) {
                    progress.add(n);
                    return new Sent(index, crc32(buf, n), false, true);
                }
                ChunkGzip.Result gz = gzips.get().gzip(buf, 0, n);
                byte[] body = java.util.Arrays.copyOf(gz.gzip(), gz.length());
                String path = "/drives/" + ApiPaths.segment(transfer.drive()) + "/write/" + offset;
                transfer.retry().run("chunk " + index, () -> {
                    transfer.rateLimit().acquire(body.length);
                    return transfer.api().call("POST", path, Body.octets(body, true), "text/plain");
                });
                progress.add(n);
                return new Sent(index, gz.crc32(), true, false);
            } finally {
                buffers.add(buf);
            }
        };
    }

    private void saveSoon() {
        if (System.nanoTime() - lastSave > SAVE_EVERY_NANOS) {
            saveNow();
        }
    }

    private void saveNow() {
        if (statePath != null) {
            state.save(statePath);
            lastSave = System.nanoTime();
        }
    }

    private void saveQuietly() {
        if (statePath == null) {
            return;
        }
        try {
            state.save(statePath);
        } catch (CliException ignored) {
            // the transfer's own error matters more
        }
    }

    static long crc32(byte[] b, int n) {
        CRC32 c = new CRC32();
        c.update(b, 0, n);
        return c.getValue();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] take(BlockingQueue<byte[]> q) {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.local("interrupted");
        }
    }
}
