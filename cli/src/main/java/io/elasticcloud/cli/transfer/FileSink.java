package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/** A file written in place: zero chunks are holes. Resume re-reads what is there. */
final class FileSink implements DownloadSink {
    private final Path file;
    private final FileChannel ch;

    FileSink(Path file, boolean resume) {
        this.file = file;
        try {
            ch = resume
                    ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw CliException.local("cannot write %s: %s", file, e.getMessage());
        }
    }

    /**
     * Drops what the file holds from chunk {@code first} on: zero chunks are left as holes, so
     * older bytes there (the drive may have changed since) must not stay. Returns {@code first}.
     */
    private long cut(ChunkPlan plan, long first) throws IOException {
        long at = Math.min(plan.length(), first * plan.chunkSize());
        if (ch.size() > at) {
            ch.truncate(at);
        }
        return first;
    }

    @Override
    public void writeAnyOrder(Transfer.Chunk c) {
        if (c.zero()) {
            return; // a hole; finish() sets the length
        }
        try {
            // straight from the chunk's buffer to its place in the file (a positional write)
            ByteBuffer b = ByteBuffer.wrap(c.data(), 0, c.length());
            while (b.hasRemaining()) {
                ch.write(b, c.offset() + b.position());
            }
        } catch (IOException e) {
            throw CliException.local("cannot write %s: %s", file, e.getMessage());
        }
    }

    @Override
    public void writeInOrder(Transfer.Chunk c) {
    }

    @Override
    public long rehash(ChunkPlan plan, TransferState state, MessageDigest sha) {
        try {
            for (long i = 0; i < state.done(); i++) {
                ByteBuffer b = ByteBuffer.allocate(plan.size(i));
                while (b.hasRemaining()) {
                    int n = ch.read(b, plan.offset(i) + b.position());
                    if (n < 0) {
                        break; // past the end: a hole not yet extended, zeros
                    }
                }
                byte[] data = b.array();
                if (Uploader.crc32(data, data.length) != state.crc(i)) {
                    state.truncate(i);
                    return cut(plan, i);
                }
                sha.update(data);
            }
            return cut(plan, state.done());
        } catch (IOException e) {
            throw CliException.local("cannot read %s: %s", file, e.getMessage());
        }
    }

    @Override
    public void finish(long length) {
        try {
            if (ch.size() > length) {
                ch.truncate(length);
            } else if (ch.size() < length) {
                // the trailing hole: one byte at the end makes the length without allocating the rest
                ch.write(ByteBuffer.wrap(new byte[1]), length - 1);
            }
        } catch (IOException e) {
            throw CliException.local("cannot write %s: %s", file, e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            ch.close();
        } catch (IOException ignored) {
            // finish() wrote what matters
        }
    }
}
