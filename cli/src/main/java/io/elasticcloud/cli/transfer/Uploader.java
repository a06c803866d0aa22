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
 *
 * <p>Verified (the default), each chunk is read back by the worker that wrote it as soon as its
 * write is acknowledged, and compared byte for byte with the chunk still in memory; chunks of
 * zeros not sent are read back too and must be zeros. So reading back overlaps the other workers'
 * writes rather than being a second pass, and a chunk counts as done only once it is proven. A
 * mismatch stops the upload (exit 4) with the state saved before that chunk, so {@code --resume}
 * sends it again.
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
    private final boolean verify;
    private long lastSave;

    public Uploader(Transfer transfer, long driveSize, TransferState state, Path statePath, Progress progress,
                    boolean verify) {
        this.verify = verify;
        this.transfer = transfer;
        this.driveSize = driveSize;
        this.state = state;
        this.statePath = statePath;
        this.progress = progress;
    }

    /** The result: bytes of content and their SHA-256. */
    public record Result(long length, byte[] sha256, long chunksSent, long zeroChunksSkipped, long chunksResumed,
                         long chunksReadBack) {
    }

    private record Sent(long index, long crc, boolean sent, boolean zeroSkipped, boolean readBack) {
    }

    /** A chunk read back that is not what was sent. */
    private static final class Mismatch extends RuntimeException {
        final long index;

        Mismatch(long index, String message) {
            super(message, null, false, false);
            this.index = index;
        }
    }

    public Result run(Source source) {
        int chunk = state.chunkSize();
        int inFlight = transfer.parallel() * 2;
        BlockingQueue<byte[]> buffers = new ArrayBlockingQueue<>(inFlight + 1);
        for (int i = 0; i < inFlight + 1; i++) {
            buffers.add(new byte[chunk]);
        }
        MessageDigest whole = sha256();
        long[] counts = new long[4];
        ExecutorService pool = transfer.workers("upload");
        ThreadLocal<ChunkGzip> gzips = ThreadLocal.withInitial(ChunkGzip::new);
        ThreadLocal<byte[]> backs = ThreadLocal.withInitial(() -> new byte[chunk]);
        OrderedWindow<Sent> window = new OrderedWindow<>(pool, inFlight, s -> {
            if (s.index() >= state.done()) { // resumed chunks are recorded already
                state.markDone(s.index(), s.crc());
            }
            if (s.readBack()) {
                state.markVerified(s.index());
            }
            counts[0] += s.sent() ? 1 : 0;
            counts[1] += s.zeroSkipped() ? 1 : 0;
            counts[3] += s.readBack() ? 1 : 0;
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
                    window.drain(); // so that what the message says was written was
                    saveNow();
                    throw CliException.api(ExitCode.FULL, "%s is larger than drive %s (%s); the first %s were written",
                            source.name(), transfer.drive(), Sizes.human(driveSize), Sizes.human(offset));
                }
                if (i < resumable) {
                    long crc = crc32(buf, n);
                    if (crc == state.crc(i)) {
                        counts[2]++;
                        long index = i;
                        if (verify && i >= state.verified()) {
                            // done by a run that did not verify it (--no-verify, or an older state): prove it now
                            progress.addSkipped(n);
                            window.submit(() -> {
                                try {
                                    readBack(index, offset, buf, n, false, backs.get());
                                    return new Sent(index, crc, false, false, true);
                                } finally {
                                    buffers.add(buf);
                                }
                            });
                        } else {
                            progress.addSkipped(n);
                            buffers.add(buf);
                            window.submit(() -> new Sent(index, crc, false, false, false));
                        }
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
                window.submit(sendTask(i, offset, buf, n, skipZeros, buffers, gzips, backs));
                if (n < chunk) {
                    break;
                }
            }
            window.drain();
        } catch (Mismatch e) {
            // the chunks before it are done (results are taken in order); it and what follows are not
            window.cancel();
            state.truncate(Math.min(state.done(), e.index));
            saveQuietly();
            throw new CliException(ExitCode.VERIFY, "verify", e.getMessage());
        } catch (RuntimeException e) {
            window.cancel();
            saveQuietly();
            throw e;
        } finally {
            Transfer.stop(pool);
        }
        saveNow();
        return new Result(total, whole.digest(), counts[0], counts[1], counts[2], counts[3]);
    }

    /**
     * Reads chunk {@code index} back from the drive into {@code back} and compares it with what it
     * should hold: {@code buf[0..n)}, or zeros for a chunk that was not sent. Byte for byte: the
     * chunk is still in memory, and that is both exact and cheaper than hashing the two.
     */
    private void readBack(long index, long offset, byte[] buf, int n, boolean zeros, byte[] back) {
        transfer.readRange(index, offset, n, back);
        boolean same = zeros ? Zeros.isAllZero(back, 0, n) : java.util.Arrays.mismatch(buf, 0, n, back, 0, n) < 0;
        if (!same) {
            throw new Mismatch(index, "drive " + transfer.drive() + " does not hold what was sent in chunk " + index
                    + " (offset " + offset + ") when read back; the same command with --resume sends it again");
        }
    }

    private java.util.concurrent.Callable<Sent> sendTask(long index, long offset, byte[] buf, int n, boolean skipZeros,
                                                         BlockingQueue<byte[]> buffers, ThreadLocal<ChunkGzip> gzips,
                                                         ThreadLocal<byte[]> backs) {
        return () -> {
            try {
                if (skipZeros && Zeros.isAllZero(buf, 0, n)) {
                    if (verify) {
                        readBack(index, offset, buf, n, true, backs.get());
                    }
                    progress.add(n);
                    return new Sent(index, crc32(buf, n), false, true, verify);
                }
                ChunkGzip.Result gz = gzips.get().gzip(buf, 0, n);
                byte[] body = java.util.Arrays.copyOf(gz.gzip(), gz.length());
                String path = "/drives/" + ApiPaths.segment(transfer.drive()) + "/write/" + offset;
                transfer.retry().run("chunk " + index, () -> {
                    transfer.rateLimit().acquire(body.length);
                    return transfer.api().call("POST", path, Body.octets(body, true), "text/plain");
                });
                if (verify) {
                    readBack(index, offset, buf, n, false, backs.get());
                }
                progress.add(n);
                return new Sent(index, gz.crc32(), true, false, verify);
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
        return Transfer.take(q);
    }
}
