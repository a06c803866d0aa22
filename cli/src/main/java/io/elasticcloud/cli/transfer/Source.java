package io.elasticcloud.cli.transfer;

import io.elasticcloud.cli.CliException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * What an upload reads: a file, or standard input ({@code -}); gzipped data (a {@code .gz} name,
 * or the gzip magic at the start of standard input) is decompressed on the way, so the drive gets
 * the image, not its compressed form. The content's length is known for plain files only.
 */
public final class Source implements AutoCloseable {
    private final String name;
    private final Path file;
    private final boolean gzipped;
    private final InputStream in;
    private final long length;

    private Source(String name, Path file, boolean gzipped, InputStream in, long length) {
        this.name = name;
        this.file = file;
        this.gzipped = gzipped;
        this.in = in;
        this.length = length;
    }

    public static Source open(String arg, InputStream stdin) {
        try {
            if (arg.equals("-")) {
                BufferedInputStream b = new BufferedInputStream(stdin, 1 << 16);
                b.mark(2);
                boolean gz = b.read() == 0x1f & b.read() == 0x8b;
                b.reset();
                return new Source("standard input", null, gz, gz ? gunzip(b) : b, -1);
            }
            Path p = Path.of(arg);
            if (!Files.isRegularFile(p)) {
                throw CliException.local("%s: no such file", arg);
            }
            boolean gz = arg.endsWith(".gz");
            InputStream raw = Files.newInputStream(p);
            return new Source(arg, p, gz, gz ? gunzip(new BufferedInputStream(raw, 1 << 16)) : raw,
                    gz ? -1 : Files.size(p));
        } catch (IOException e) {
            throw CliException.local("cannot read %s: %s", arg, e.getMessage());
        }
    }

    private static InputStream gunzip(InputStream in) throws IOException {
        return new GZIPInputStream(in, 1 << 16);
    }

    public String name() {
        return name;
    }

    /** The file, or null for standard input. */
    public Path file() {
        return file;
    }

    public boolean gzipped() {
        return gzipped;
    }

    public InputStream stream() {
        return in;
    }

    /** Bytes of content, -1 when only reading it all tells (standard input, gzip). */
    public long length() {
        return length;
    }

    /**
     * For a gzipped file: a length the content has at least, from the gzip trailer (ISIZE: the
     * last member's uncompressed length modulo 4 GiB, so exact for a single-member file under
     * 4 GiB, and never more than the content's length); 0 when there is nothing to tell
     * (standard input, a plain file, a file too short for a trailer).
     */
    public long gzipLengthAtLeast() {
        if (!gzipped || file == null) {
            return 0;
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            long size = ch.size();
            if (size < 18) { // a 10-byte header, an empty deflate stream, an 8-byte trailer
                return 0;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                if (ch.read(b, size - 4 + b.position()) < 0) {
                    return 0;
                }
            }
            return Integer.toUnsignedLong(b.getInt(0));
        } catch (IOException e) {
            throw CliException.local("cannot read %s: %s", name, e.getMessage());
        }
    }

    /** The content's length of a gzipped file, by decompressing it once (nothing is kept). */
    public long measure() {
        if (length >= 0) {
            return length;
        }
        if (file == null) {
            throw new IllegalStateException("standard input cannot be read twice");
        }
        try (InputStream g = gunzip(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] buf = new byte[1 << 20];
            long n = 0;
            for (int r; (r = g.read(buf)) > 0; ) {
                n += r;
            }
            return n;
        } catch (IOException e) {
            throw CliException.local("cannot read %s: %s", name, e.getMessage());
        }
    }

    /** Reads until {@code buf} is full or the content ends; the number of bytes read. */
    public int readChunk(byte[] buf) {
        try {
            return in.readNBytes(buf, 0, buf.length);
        } catch (IOException e) {
            throw CliException.local("cannot read %s: %s", name, e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // reading is over
        }
    }
}
