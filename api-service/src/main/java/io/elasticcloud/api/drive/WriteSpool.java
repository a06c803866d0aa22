package io.elasticcloud.api.drive;

import io.elasticcloud.protocol.settings.DataDirectory;
import io.elasticcloud.protocol.secret.PrivateFiles;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where the body of a drive write waits when it is too large to hold in memory: one file per
 * write in {@code DATA_DIR/tmp} ({@code rwx------}), made {@code rw-------} and unlinked at once:
 * only this process's open descriptor reaches it, so nothing is ever left behind (the kernel frees
 * it when the write ends or the process dies) and no other process sharing the directory can
 * delete it or be deleted by it. Its bytes are encrypted with AES-256-CTR under a random key and
 * counter made for that write and held only in this JVM's memory, so no plaintext of a drive ever
 * rests on the host's disk through a write. The spool is exactly as large as the decompressed body
 * it holds (CTR adds nothing), never larger than the write's limit.
 *
 * <p>No integrity: the threat is reading what rests on disk, and only this process (its user) can
 * write into the directory. Reading the body fails as the body's reader decides (the caller's
 * stream maps its own failures); a failure to write the spool is an {@link IOException}.
 */
@Component
public class WriteSpool {
    static final String PREFIX = "write-";
    static final String SUFFIX = ".spool";
    private static final int BUFFER = 256 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    @Autowired
    public WriteSpool(DataDirectory data) throws IOException {
        this(data.resolve("tmp"));
    }

    WriteSpool(Path dir) throws IOException {
        this.dir = PrivateFiles.directory(dir.toAbsolutePath());
        PrivateFiles.closeTree(this.dir);
    }

    /**
     * Takes the first {@code headLength} bytes of {@code head} and then at most
     * {@code max - headLength} bytes more of {@code body} into a new spool; the caller reads it back
     * with {@link Spooled#open()} and must close it.
     */
    public Spooled spool(byte[] head, int headLength, InputStream body, long max) throws IOException {
        Spooled spooled = new Spooled(create());
        try {
            Cipher cipher = spooled.cipher(Cipher.ENCRYPT_MODE);
            OutputStream out = Channels.newOutputStream(spooled.channel);
            byte[] buffer = new byte[BUFFER];
            long length = write(cipher, out, head, headLength, buffer);
            length += copy(cipher, body, out, max - length, buffer);
            spooled.length = length;
            return spooled;
        } catch (IOException | RuntimeException | Error e) {
            try {
                spooled.close();
            } catch (IOException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** A new file, open for reading and writing, already without a name. */
    private FileChannel create() throws IOException {
        Path file;
        try {
            file = Files.createTempFile(dir, PREFIX, SUFFIX, PrivateFiles.file());
        } catch (NoSuchFileException vanished) {
            // tmp/ removed under a running service (a cleaner, an operator): made again, closed
            PrivateFiles.directory(dir);
            file = Files.createTempFile(dir, PREFIX, SUFFIX, PrivateFiles.file());
        }
        try {
            return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static long write(Cipher cipher, OutputStream out, byte[] plain, int length, byte[] buffer)
            throws IOException {
        for (int done = 0; done < length; ) {
            int n = Math.min(buffer.length, length - done);
            System.arraycopy(plain, done, buffer, 0, n);
            encrypt(cipher, buffer, n);
            out.write(buffer, 0, n);
            done += n;
        }
        return length;
    }

    private static long copy(Cipher cipher, InputStream in, OutputStream out, long max, byte[] buffer)
            throws IOException {
        long copied = 0;
        while (copied < max) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, max - copied));
            if (n < 0) {
                break;
            }
            encrypt(cipher, buffer, n);
            out.write(buffer, 0, n);
            copied += n;
        }
        return copied;
    }

    /** In place: CTR turns every byte in into one byte out, so nothing is held back. */
    private static void encrypt(Cipher cipher, byte[] buffer, int n) {
        try {
            if (n > 0 && cipher.update(buffer, 0, n, buffer, 0) != n) {
                throw new IllegalStateException("AES/CTR held bytes back");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR failed", e);
        }
    }

    /** One write's spool: its nameless file, and the key that alone can read it (in memory only). */
    public static final class Spooled implements Closeable {
        private final FileChannel channel;
        private final byte[] key = new byte[32];
        private final byte[] iv = new byte[16];
        private long length;

        private Spooled(FileChannel channel) {
            this.channel = channel;
            RANDOM.nextBytes(key);
            RANDOM.nextBytes(iv);
        }

        /** How many bytes of the body it holds. */
        public long length() {
            return length;
        }

        /** The body as it came, decrypted while it is read (closing it leaves the spool open). */
        public InputStream open() {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE);
            return new FilterInputStream(raw()) {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    if (n > 0) {
                        try {
                            if (cipher.update(b, off, n, b, off) != n) {
                                throw new IllegalStateException("AES/CTR held bytes back");
                            }
                        } catch (GeneralSecurityException e) {
                            throw new IllegalStateException("AES/CTR failed", e);
                        }
                    }
                    return n;
                }

                @Override
                public long skip(long n) {
                    return 0; // the counter must follow every byte: skipping is reading
                }
            };
        }

        /** The bytes as they rest on disk, from the start (for tests, and {@link #open}). */
        InputStream raw() {
            return new InputStream() {
                private long position;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    int n = channel.read(ByteBuffer.wrap(b, off, len), position);
                    if (n > 0) {
                        position += n;
                    }
                    return n;
                }
            };
        }

        @Override
        public void close() throws IOException {
            Arrays.fill(key, (byte) 0);
            channel.close();
        }

        private Cipher cipher(int mode) {
            try {
                Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
                c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
                return c;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/CTR is part of every Java runtime", e);
            }
        }
    }
}
