package io.elasticcloud.protocol.secret;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);
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

    /**
     * {@code dir} exists with exactly {@code mode}: created so, or set. A symbolic link is left as
     * it is, its target unchanged (a warning): its target's modes are not this service's to set.
     */
    public static Path directory(Path dir, Set<PosixFilePermission> mode) throws IOException {
        make(dir, mode);
        setMode(dir, mode);
        return dir;
    }

    /**
     * {@code dir} exists, its owner's {@code rwx}, no reading or writing for anyone else, and
     * whatever passage ({@code x}) group and others had kept: for a directory this process shares
     * with another that gave a guest's qemu its passage ({@link #TRAVERSE}).
     */
    public static Path directoryKeepingPassage(Path dir) throws IOException {
        make(dir, DIRECTORY);
        Set<PosixFilePermission> mode = EnumSet.copyOf(DIRECTORY);
        try {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            for (PosixFilePermission pass : List.of(PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE)) {
                if (now.contains(pass)) {
                    mode.add(pass);
                }
            }
        } catch (UnsupportedOperationException notPosix) {
            return dir;
        }
        setMode(dir, mode);
        return dir;
    }

    private static void make(Path dir, Set<PosixFilePermission> mode) throws IOException {
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

    /**
     * Sets {@code p}'s mode, never through a symbolic link (a chmod follows links: a {@code tmp}
     * linked to {@code /tmp} would close {@code /tmp} to everyone). A file this process may not
     * change (another user's, a read-only mount of a key) is warned about, not fatal: its owner
     * chose its mode.
     */
    private static void setMode(Path p, Set<PosixFilePermission> mode) throws IOException {
        try {
            if (Files.isSymbolicLink(p)) {
                log.warn("{} is a symbolic link: its target's mode is left as it is", p);
                return;
            }
            if (!Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).equals(mode)) {
                Files.setPosixFilePermissions(p, mode);
            }
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: its own permissions apply
        } catch (FileSystemException notOurs) {
            if (notOurs instanceof NoSuchFileException) {
                throw notOurs;
            }
            log.warn("cannot set the mode of {} to {} ({}): its owner's mode is left as it is", p,
                    PosixFilePermissions.toString(mode), notOurs.getReason() == null ? notOurs : notOurs.getReason());
        }
    }
}
