package io.elasticcloud.agent.hypervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The user a hypervisor runs its guests' processes as (QEMU under libvirt: {@code libvirt-qemu}),
 * and whether that user can reach a directory: pass ({@code x}) through it and through every
 * directory above it, as QEMU must to open a drive's file that libvirt hands it by path.
 *
 * @param name   the user's name, or its number when it has none
 * @param uid    its user id; 0 (root) reaches everything
 * @param groups its primary and supplementary group ids
 */
public record GuestUser(String name, int uid, Set<Integer> groups) {

    /** What the check reads of one directory: its owner, group and permission bits. */
    public record Mode(int uid, int gid, int mode) {
    }

    /** Reads a directory's {@link Mode}. */
    public interface Stat {
        Mode of(Path dir) throws IOException;
    }

    /** The file system's own answer, through {@code unix:} attributes (links followed, as QEMU does). */
    public static final Stat FILES = dir -> new Mode((Integer) Files.getAttribute(dir, "unix:uid"),
            (Integer) Files.getAttribute(dir, "unix:gid"), (Integer) Files.getAttribute(dir, "unix:mode"));

    public GuestUser {
        groups = Set.copyOf(groups);
    }

    /**
     * The first directory on the way to {@code dir} (from {@code /} down to {@code dir} itself)
     * that this user cannot pass through, empty when it can reach {@code dir}. A directory that
     * does not exist yet is passed over: whoever creates it decides its mode.
     */
    public Optional<Path> blockedAt(Path dir, Stat stat) throws IOException {
        if (uid == 0) {
            return Optional.empty();
        }
        List<Path> way = new ArrayList<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            way.add(0, p);
        }
        for (Path p : way) {
            Mode mode;
            try {
                mode = stat.of(p);
            } catch (NoSuchFileException notYet) {
                return Optional.empty();
            }
            if (!canPass(mode)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Search permission as the kernel decides it: the owner's bits, else the group's, else the others'. */
    boolean canPass(Mode m) {
        if (m.uid() == uid) {
            return (m.mode() & 0100) != 0;
        }
        if (groups.contains(m.gid())) {
            return (m.mode() & 0010) != 0;
        }
        return (m.mode() & 0001) != 0;
    }

    /** For messages: {@code libvirt-qemu (uid 64055)}. */
    public String describe() {
        return name + " (uid " + uid + ")";
    }
}
