package io.elasticcloud.api.drive;

import io.elasticcloud.api.ApiProperties;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.secret.PrivateFiles;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.zip.ZipException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where the body of a drive write waits when it is too large to hold in memory: one file per
 * write in {@code DATA_DIR/tmp} ({@code rwx------}), {@code write-*.spool} ({@code rw-------}),
 * encrypted with AES-256-CTR under a random key and counter made for that write and held only in
 * this JVM's memory. So no plaintext of a drive, encrypted or not, ever rests on the host's disk
 * through a write: after a crash ({@code kill -9}) the file left behind is noise whose key died
 * with the process, and it is deleted at the next start, before the first request; otherwise it is
 * deleted as soon as its write ends, however it ends. The spool is exactly as large as the
 * decompressed body it holds (CTR adds nothing), never larger than the write's limit.
 *
 * <p>No integrity: the threat is reading what rests on disk, and only this process (its user) can
 * write into the directory.
 */
@Component
public class WriteSpool {
    private static final Logger log = LoggerFactory.getLogger(WriteSpool.class);
    static final String PREFIX = "write-";
    static final String SUFFIX = ".spool";
    private static final int BUFFER = 256 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;

    @Autowired
    public WriteSpool(ApiProperties properties) throws IOException {
        this(properties.dataDir().resolve("tmp"));
    }

    WriteSpool(Path dir) throws IOException {
        this.dir = PrivateFiles.directory(dir.toAbsolutePath());
        PrivateFiles.closeTree(this.dir);
        sweep();
    }

    /**
     * Takes {@code head} and then at most {@code max - head.length} bytes more of {@code body} into
     * a new spool; the caller reads it back with {@link Spooled#open()} and must close it.
     */
    public Spooled spool(byte[] head, InputStream body, long max) throws IOException {
        Spooled spooled = new Spooled(Files.createTempFile(dir, PREFIX, SUFFIX, PrivateFiles.file()));
        try (OutputStream out = Files.newOutputStream(spooled.file)) {
            Cipher cipher = spooled.cipher(Cipher.ENCRYPT_MODE);
            byte[] buffer = new byte[BUFFER];
            long length = write(cipher, out, head, head.length, buffer);
            length += copy(cipher, body, out, max - length, buffer);
            spooled.length = length;
            return spooled;
        } catch (IOException | RuntimeException | Error e) {
            spooled.close();
            throw e;
        }
    }

    /** Removes what a crash left; their keys are gone, so they could never be read anyway. */
    private void sweep() throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
                removed++;
            }
        }
        if (removed > 0) {
            log.info("removed {} spool file(s) of drive writes cut off by an earlier stop, in {}", removed, dir);
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
        try {
            while (copied < max) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, max - copied));
                if (n < 0) {
                    break;
                }
                encrypt(cipher, buffer, n);
                out.write(buffer, 0, n);
                copied += n;
            }
        } catch (ZipException | EOFException e) {
            throw ElasticException.usage("the body is not valid gzip data");
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

    /** One write's spool: its file, and the key that alone can read it (in memory only). */
    public static final class Spooled implements Closeable {
        private final Path file;
        private final byte[] key = new byte[32];
        private final byte[] iv = new byte[16];
        private long length;

        private Spooled(Path file) {
            this.file = file;
            RANDOM.nextBytes(key);
            RANDOM.nextBytes(iv);
        }

        /** How many bytes of the body it holds. */
        public long length() {
            return length;
        }

        /** The body as it came, decrypted while it is read. */
        public InputStream open() throws IOException {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE);
            return new FilterInputStream(Files.newInputStream(file)) {
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

        /** Path of the file, for tests. */
        Path file() {
            return file;
        }

        @Override
        public void close() throws IOException {
            Arrays.fill(key, (byte) 0);
            Files.deleteIfExists(file);
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
