package io.elasticcloud.storage.volume;

import io.elasticcloud.protocol.secret.PrivateFiles;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeInfo;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layout of a {@link FileVolumeBackend}'s directory: {@code NAME.raw} for a volume of cipher
 * none, {@code NAME.luks} with its {@code NAME.luks.key} sidecar ({@link LuksSidecar}) for an
 * encrypted one; names starting with a dot are work in progress. A volume exists while its volume
 * file does: its size is the raw file's length, or the sidecar's.
 */
final class VolumeFiles {
    private static final Logger log = LoggerFactory.getLogger(VolumeFiles.class);
    private static final String RAW = ".raw";
    private static final String LUKS = ".luks";
    private static final String KEY = ".luks.key";

    private final Path directory;

    /** @param directory absolute */
    VolumeFiles(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    /** The volume's file as its cipher keeps it. */
    Path file(String volume, Cipher cipher) {
        return cipher == Cipher.NONE ? raw(volume) : luks(volume);
    }

    Path raw(String volume) {
        return directory.resolve(volume + RAW);
    }

    Path luks(String volume) {
        return directory.resolve(volume + LUKS);
    }

    Path keyFile(String volume) {
        return directory.resolve(volume + KEY);
    }

    boolean exists(String volume) {
        return Files.exists(raw(volume)) || Files.exists(luks(volume));
    }

    /** The volumes' names, sorted. */
    List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .filter(n -> n.endsWith(RAW) || n.endsWith(LUKS))
                    .map(n -> n.substring(0, n.lastIndexOf('.')))
                    .sorted()
                    .toList();
        }
    }

    /** The volume's name, size and cipher (allocation 0, not measured); empty if it does not exist. */
    Optional<VolumeInfo> infoWithoutAllocation(String volume) throws IOException {
        try {
            if (Files.exists(raw(volume))) {
                return Optional.of(new VolumeInfo(volume, Files.size(raw(volume)), Cipher.NONE, 0));
            }
            if (Files.exists(luks(volume))) {
                return Optional.of(new VolumeInfo(volume, LuksSidecar.read(keyFile(volume)).size(), Cipher.AES_XTS_PLAIN, 0));
            }
        } catch (NoSuchFileException destroyedMeanwhile) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Lengthens {@code file} to {@code length} bytes (sparse, reading as zeros), durably; never shortens it. */
    static void extend(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            if (f.length() < length) {
                f.setLength(length);
                f.getChannel().force(true);
            }
        }
    }

    /** Removes what a crash left: unfinished creations and keys whose volume was destroyed. */
    void recover() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path p : files.toList()) {
                String n = p.getFileName().toString();
                boolean unfinished = n.startsWith(".") && n.endsWith(".tmp");
                boolean orphanKey = n.endsWith(KEY) && !Files.exists(directory.resolve(n.substring(0, n.length() - 4)));
                if (unfinished || orphanKey) {
                    log.info("removing leftover {}", p);
                    Files.deleteIfExists(p);
                } else if (!n.startsWith(".") && (n.endsWith(RAW) || n.endsWith(LUKS))) {
                    // volumes made before files were kept private (never through a link)
                    PrivateFiles.closeTree(p);
                }
            }
        }
    }
}
