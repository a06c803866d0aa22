package io.elasticcloud.storage.volume;

import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.storage.luks.LuksFormatter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What volume files take on disk: a volume's footprint (the most it can take) and the blocks its
 * files really hold ({@link DiskUsage}), whose difference is what writes may still claim.
 */
final class Footprints {
    /** The filesystems' block: the least a key file takes, what sizes are rounded up to. */
    static final long BLOCK = 4096;

    private Footprints() {
    }

    /** The size rounded up to whole blocks; an encrypted volume adds its written header and its key file. */
    static long of(long size, Cipher cipher) {
        long blocks = (size + BLOCK - 1) / BLOCK * BLOCK;
        return cipher == Cipher.NONE ? blocks : blocks + LuksFormatter.WRITTEN_HEADER_BYTES + BLOCK;
    }

    /** The bytes each volume's files have allocated; {@code files} names each volume's files. */
    static Map<String, Long> taken(Map<String, List<Path>> files) {
        List<Path> all = new ArrayList<>();
        files.values().forEach(all::addAll);
        Map<Path, Long> allocated = DiskUsage.allocated(all);
        Map<String, Long> taken = new HashMap<>();
        files.forEach((volume, paths) -> taken.put(volume,
                paths.stream().mapToLong(p -> allocated.getOrDefault(p, 0L)).sum()));
        return taken;
    }
}
