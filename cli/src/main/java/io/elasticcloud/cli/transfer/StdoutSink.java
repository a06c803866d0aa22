package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Standard output: every byte, in order. */
final class StdoutSink implements DownloadSink {
    private final OutputStream out;

    StdoutSink(OutputStream out) {
        this.out = out;
    }

    @Override
    public void writeAnyOrder(Transfer.Chunk c) {
    }

    @Override
    public void writeInOrder(Transfer.Chunk c) {
        try {
            out.write(c.data(), 0, c.length());
        } catch (IOException e) {
            throw CliException.local("cannot write to standard output: %s", e.getMessage());
        }
    }

    @Override
    public long rehash(ChunkPlan plan, TransferState state, MessageDigest sha) {
        return 0;
    }

    @Override
    public void finish(long length) {
        try {
            out.flush();
        } catch (IOException e) {
            throw CliException.local("cannot write to standard output: %s", e.getMessage());
        }
    }

    @Override
    public void close() {
    }
}
