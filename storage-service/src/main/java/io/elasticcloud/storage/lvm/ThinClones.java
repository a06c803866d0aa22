package io.elasticcloud.storage.lvm;

import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.storage.host.LogicalVolume;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imaging a cipher-none volume into another of the same thin pool as a thin snapshot: a few LVM
 * metadata updates whatever the size, instead of a copy of every byte. A thin snapshot shares the
 * origin's blocks until either side writes one (the pool then gives the writer a block of its
 * own), so the two diverge independently: writes to the target never reach the source (imaging
 * from a drive one may only read stays harmless), and removing the source leaves the target whole.
 * Only cipher none on both sides: a snapshot of a LUKS volume would carry the source's key.
 *
 * <p>Steps, each one LVM command (one metadata commit), so that a crash anywhere leaves the target
 * a whole volume (its old bytes or the source's) and nothing unaccounted:
 * <ol>
 *   <li>the source is tagged {@code elastic-shared} (once);</li>
 *   <li>the snapshot is made as {@code ev-TARGET.clone}, tagged with the target's size and cipher,
 *       {@code elastic-shared} and {@code elastic-partial};</li>
 *   <li>it is grown to the target's size when the target is larger (a thin LV reads zeros where
 *       it was grown; what the source's LV held past the source's size, up to its last extent,
 *       is written as zeros by the backend once the clone is in place, see {@link Tail});</li>
 *   <li>{@code elastic-partial} is removed;</li>
 *   <li>the target's LV is removed and the clone renamed in its place.</li>
 * </ol>
 * {@link #sweep} at start finishes or undoes what a crash left: a clone still partial, or with the
 * target's LV still there, is removed (the imaging job is sent again and runs again); a finished
 * clone whose target LV is gone takes its place.
 *
 * <p>Capacity: the clone's LV is as large as the target's, so it promises the same as the volume it
 * replaces. Shared blocks are counted once by the pool but may each be claimed again by a write to
 * either side, so a volume tagged {@code elastic-shared} counts as wholly unwritten ({@link
 * LvmVolumeBackend#space}): writes into volumes already promised still never find the pool full.
 */
final class ThinClones {
    private static final Logger log = LoggerFactory.getLogger(ThinClones.class);

    private final Lvm lvm;

    ThinClones(Lvm lvm) {
        this.lvm = lvm;
    }

    /**
     * What a clone left to do: the target's bytes {@code [from, to)}, past the source's size but
     * within its LV's last extent, came from the source's LV and are to be written as zeros (they
     * hold zeros unless something wrote past the source volume's end through its LV). Empty when
     * {@code from >= to}.
     */
    record Tail(long from, long to) {
        private static final int ZEROS = 1 << 20;

        boolean isEmpty() {
            return from >= to;
        }

        /** Writes the zeros through the target's handle, durably. */
        void zero(VolumeHandle target) throws IOException {
            byte[] zeros = new byte[(int) Math.min(ZEROS, to - from)];
            for (long at = from; at < to; at += zeros.length) {
                target.write(at, zeros, 0, (int) Math.min(zeros.length, to - at));
            }
            target.force();
        }
    }

    /**
     * Makes the target a thin snapshot of the whole source, grown to the target's size; empty,
     * having changed nothing, unless both are finished cipher-none volumes, {@code length} is the
     * source's size, the target is not smaller and nothing holds the target's device open.
     */
    Optional<Tail> cloneInto(String source, String target, long length) throws IOException {
        String from = LvmNames.lv(source);
        String into = LvmNames.lv(target);
        if (from.equals(into)) {
            return Optional.empty();
        }
        Map<String, LogicalVolume> lvs = lvm.volumes().stream()
                .collect(Collectors.toMap(LogicalVolume::name, Function.identity(), (a, b) -> a));
        LogicalVolume origin = lvs.get(from);
        LogicalVolume old = lvs.get(into);
        Optional<LvmNames.Described> s = Optional.ofNullable(origin).flatMap(lv -> LvmNames.describe(lv.tags()));
        Optional<LvmNames.Described> t = Optional.ofNullable(old).flatMap(lv -> LvmNames.describe(lv.tags()));
        if (s.isEmpty() || t.isEmpty() || s.get().cipher() != Cipher.NONE || t.get().cipher() != Cipher.NONE
                || s.get().size() != length || t.get().size() < length || old.isOpen() || !origin.isThinVolume()) {
            return Optional.empty();
        }
        String clone = LvmNames.cloneLv(target);
        if (lvs.containsKey(clone)) {
            lvm.remove(clone);
        }
        if (!LvmNames.shared(origin.tags())) {
            lvm.retag(from, null, LvmNames.SHARED_TAG);
        }
        long size = t.get().size();
        List<String> tags = new ArrayList<>(LvmNames.tags(size, Cipher.NONE, null));
        tags.add(LvmNames.SHARED_TAG);
        lvm.snapshot(from, clone, tags);
        try {
            long bytes = LvmVolumeBackend.lvBytes(size, Cipher.NONE);
            if (bytes > origin.size()) {
                lvm.extend(clone, bytes);
            }
            lvm.retag(clone, LvmNames.PARTIAL_TAG, null);
        } catch (IOException | RuntimeException e) {
            discard(clone);
            throw e;
        }
        lvm.removeExisting(into);
        lvm.rename(clone, into);
        return Optional.of(new Tail(length, Math.min(size, origin.size())));
    }

    private void discard(String clone) {
        try {
            lvm.remove(clone);
        } catch (IOException | RuntimeException e) {
            log.warn("could not remove the unfinished clone {} (removed at the next start): {}", clone, e.getMessage());
        }
    }

    /** Undoes or finishes the clones a crash left (see the class comment); given the VG's LVs. */
    void sweep(List<LogicalVolume> lvs) throws IOException {
        for (LogicalVolume lv : lvs) {
            Optional<String> volume = LvmNames.clonedVolume(lv.name());
            if (volume.isEmpty()) {
                continue;
            }
            String into = LvmNames.lv(volume.get());
            boolean targetThere = lvs.stream().anyMatch(v -> v.name().equals(into));
            if (LvmNames.describe(lv.tags()).isEmpty() || targetThere) {
                log.warn("removing LV {}/{}: an unfinished imaging by snapshot", lvm.volumeGroup(), lv.name());
                lvm.remove(lv.name());
            } else {
                log.warn("LV {}/{}: a finished imaging by snapshot takes the place of {}", lvm.volumeGroup(), lv.name(),
                        into);
                lvm.rename(lv.name(), into);
            }
        }
    }
}
