package io.elasticcloud.storage.volume;

import io.elasticcloud.protocol.secret.MasterKey;
import io.elasticcloud.protocol.secret.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Properties;

/**
 * The small file beside a LUKS volume ({@code NAME.luks.key}): the volume's usable size and its
 * LUKS passphrase wrapped by the {@link MasterKey}.
 *
 * <p>The size lives here, not only in the file's length, because LUKS works in 512-byte sectors
 * while drives may have any size in bytes: the file holds the size rounded up to whole sectors.
 * Text format (java.util.Properties): {@code version=1}, {@code size=BYTES}, {@code key=BASE64}.
 */
record LuksSidecar(long size, byte[] wrappedKey) {

    static LuksSidecar read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1))) {
            p.load(r);
        }
        if (!"1".equals(p.getProperty("version"))) {
            throw new IOException("unknown format of volume key file " + file);
        }
        try {
            return new LuksSidecar(Long.parseLong(p.getProperty("size")), Base64.getDecoder().decode(p.getProperty("key")));
        } catch (RuntimeException e) {
            throw new IOException("corrupt volume key file " + file);
        }
    }

    /** Replaces the file atomically (write beside it, sync, rename, sync the directory). */
    void write(Path file) throws IOException {
        String text = "# elastic-cloud volume: usable size and LUKS passphrase wrapped by the master key\n"
                + "version=1\nsize=" + size + "\nkey=" + Base64.getEncoder().encodeToString(wrappedKey) + "\n";
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + "-", ".tmp",
                PrivateFiles.file());
        try {
            Files.write(tmp, text.getBytes(StandardCharsets.ISO_8859_1), StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /** Makes renames and deletions in {@code dir} durable (Linux allows fsync on a directory). */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
