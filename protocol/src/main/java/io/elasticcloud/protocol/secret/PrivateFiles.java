package io.elasticcloud.protocol.secret;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one rule for what the services keep on the host's disk: directories {@code rwx------},
 * files {@code rw-------}, owned by the service's user; nobody else on the host may list or read
 * them. Every module creates its own directories and files through this class (and fixes those of
 * an older install at start with {@link #closeTree}), so the rule exists once. The only exceptions
 * are where libvirt's qemu user must pass: the data directory and the volume pools are
 * {@link #TRAVERSE} (documented where they are set).
 */
public final class PrivateFiles {
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** Others may pass through to a name they know, never list or read: for guests' qemu only. */
    public static final Set<PosixFilePermission> TRAVERSE = PosixFilePermissions.fromString("rwx--x--x");

    private PrivateFiles() {
    }

    /** The attribute that creates a file {@code rw-------} from its first byte. */
    public static FileAttribute<Set<PosixFilePermission>> file() {
        return PosixFilePermissions.asFileAttribute(FILE);
    }

    /**
     * {@code dir} exists and is {@code rwx------}: created so (its missing parents with the
     * process's defaults), or closed if it was open.
     */
    public static Path directory(Path dir) throws IOException {
        return directory(dir, DIRECTORY);
    }

    /** {@code dir} exists with exactly {@code mode}: created so, or set. */
    public static Path directory(Path dir, Set<PosixFilePermission> mode) throws IOException {
        if (!Files.isDirectory(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(mode));
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile: its mode is set below
            }
        }
        setMode(dir, mode);
        return dir;
    }

    /**
     * Closes what an older install left open below {@code dir} (included): directories
     * {@code rwx------}, files {@code rw-------} ({@code dir} may be a single file). Symbolic links
     * are neither followed nor changed. A missing {@code dir} is left missing.
     */
    public static void closeTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                setMode(d, DIRECTORY);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    setMode(f, FILE);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void setMode(Path p, Set<PosixFilePermission> mode) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).equals(mode)) {
                Files.setPosixFilePermissions(p, mode);
            }
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: its own permissions apply
        }
    }
}
