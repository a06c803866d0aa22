package io.elasticcloud.cli.transfer;

import java.security.MessageDigest;

/**
 * Where downloaded chunks go. No fsync, as with curl, wget or rsync: the file is left to the
 * system's write-back. A resume does not trust the state blindly either: it reads each chunk
 * the state calls done back from the file and compares its CRC-32, so what a crash lost is
 * fetched again.
 */
interface DownloadSink extends AutoCloseable {
    /** On the worker that read the chunk, several at once, in any order. */
    void writeAnyOrder(Transfer.Chunk c);

    /** In chunk order, after {@link #writeAnyOrder}. */
    void writeInOrder(Transfer.Chunk c);

    /** On resume: hashes the chunks already there that match the state; the first chunk to fetch. */
    long rehash(ChunkPlan plan, TransferState state, MessageDigest sha);

    void finish(long length);

    @Override
    void close();
}
