package io.elasticcloud.storage.volume;

import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.storage.luks.LuksFormatter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What volume files take on disk: a volume's footprint (the most it can take) and, over all
 * volumes, how much of their footprints their files have not allocated yet (what writes may still
 * claim), from the blocks the files really hold ({@link DiskUsage}).
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

    /** The volumes' footprints and their unallocated part; {@code files} names each volume's files. */
    static VolumeBackend.Space space(List<VolumeInfo> volumes, Function<VolumeInfo, List<Path>> files)
            throws IOException {
        List<Path> all = new ArrayList<>();
        volumes.forEach(v -> all.addAll(files.apply(v)));
        Map<Path, Long> allocated = DiskUsage.allocated(all);
        long promised = 0;
        long unwritten = 0;
        for (VolumeInfo volume : volumes) {
            long footprint = of(volume.size(), volume.cipher());
            long taken = 0;
            for (Path file : files.apply(volume)) {
                taken += allocated.getOrDefault(file, 0L);
            }
            promised += footprint;
            unwritten += Math.max(0, footprint - taken);
        }
        return new VolumeBackend.Space(promised, unwritten);
    }
}
