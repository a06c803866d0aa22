package io.elasticcloud.storage.volume;

import java.util.HashMap;
import java.util.Map;

/**
 * A {@link FileVolumeBackend}'s account of its volumes, kept in memory so that checking room for a
 * change costs nothing however many volumes there are: each volume's footprint (exact: changed with
 * the volume by create, grow and destroy) and the bytes its files had allocated when last measured.
 * The totals are kept as running sums. The files stay the record: the ledger is built from them at
 * each start, so what a crash loses is only what the ledger would have said.
 *
 * <p>Allocation is only as fresh as its last measurement ({@link #measured}), which the backend
 * takes outside any lock: writes since then make {@code unwritten} too large (a create refused
 * early, never one let through that does not fit); a guest punching holes since then makes it too
 * small by what was punched, until the next measurement (every heartbeat).
 */
final class VolumeLedger {
    /** One volume's terms; a new object at each change, so a measurement begun before it is not applied to it. */
    record Entry(long footprint, long taken) {
        long unwritten() {
            return Math.max(0, footprint - taken);
        }
    }

    private final Map<String, Entry> entries = new HashMap<>();
    private long promised;
    private long unwritten;

    /** Records the volume's footprint and what its files take now, replacing what was recorded. */
    synchronized void put(String volume, long footprint, long taken) {
        replace(volume, new Entry(footprint, taken));
    }

    /** The volume's new footprint (grown), its allocation as last measured. */
    synchronized void resize(String volume, long footprint) {
        Entry old = entries.get(volume);
        replace(volume, new Entry(footprint, old == null ? 0 : old.taken()));
    }

    synchronized void remove(String volume) {
        replace(volume, null);
    }

    synchronized VolumeBackend.Space space() {
        return new VolumeBackend.Space(promised, unwritten);
    }

    /** The entries as they are, for a measurement. */
    synchronized Map<String, Entry> snapshot() {
        return new HashMap<>(entries);
    }

    /**
     * Applies a measurement of the {@code measured} entries ({@link #snapshot}): {@code taken} per
     * volume; an entry changed or removed since the snapshot keeps what it has.
     */
    synchronized void measured(Map<String, Entry> measured, Map<String, Long> taken) {
        measured.forEach((volume, entry) -> {
            Long bytes = taken.get(volume);
            if (bytes != null && entries.get(volume) == entry) {
                replace(volume, new Entry(entry.footprint(), bytes));
            }
        });
    }

    private void replace(String volume, Entry entry) {
        Entry old = entry == null ? entries.remove(volume) : entries.put(volume, entry);
        if (old != null) {
            promised -= old.footprint();
            unwritten -= old.unwritten();
        }
        if (entry != null) {
            promised += entry.footprint();
            unwritten += entry.unwritten();
        }
    }
}
