package io.elasticcloud.storage.lvm;

import java.util.Map;
import java.util.TreeMap;

/**
 * The byte ranges of one encrypted volume known to hold no hole: every sector in them was written
 * through the dm-crypt device (a write of this service made durable by a flush) or seen written
 * (a read that found no sector of zeros under the crypto). {@link HoleKeepingHandle} reads such a
 * range through the dm-crypt device alone, without first reading its ciphertext to look for holes:
 * over a storage box's NBD link that check doubled the bytes of every read.
 *
 * <p>Sound because a written sector does not become a hole again: the thin LV's blocks stay
 * mapped, and nothing this service runs discards (trims) them. Whatever comes to discard a volume's
 * blocks (a guest's trim through an export that passes discards) must {@link #forget} it. Forgetting
 * is always safe: a range not known is checked again. Kept in memory only: a restarted service
 * checks every range once more.
 *
 * <p>Ranges are merged as they touch; a volume written in scattered pieces keeps at most
 * {@value #MAX_RANGES} of them, then starts over (memory is bounded; the reads check again).
 */
final class WrittenRanges {
    static final int MAX_RANGES = 4096;

    /** Start to end (exclusive), disjoint and not touching. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    /** Records that every sector of {@code [from, to)} is written. */
    synchronized void add(long from, long to) {
        if (from >= to) {
            return;
        }
        Map.Entry<Long, Long> before = ranges.floorEntry(from);
        if (before != null && before.getValue() >= from) {
            from = before.getKey();
            to = Math.max(to, before.getValue());
        }
        Map.Entry<Long, Long> next = ranges.ceilingEntry(from);
        while (next != null && next.getKey() <= to) {
            to = Math.max(to, next.getValue());
            ranges.remove(next.getKey());
            next = ranges.ceilingEntry(from);
        }
        if (ranges.size() >= MAX_RANGES) {
            ranges.clear();
        }
        ranges.put(from, to);
    }

    /** Whether every byte of {@code [from, to)} is in one known range. */
    synchronized boolean covers(long from, long to) {
        if (from >= to) {
            return true;
        }
        Map.Entry<Long, Long> range = ranges.floorEntry(from);
        return range != null && range.getValue() >= to;
    }

    /** Adds every range of this set to {@code other} and forgets them here. */
    void drainInto(WrittenRanges other) {
        Map<Long, Long> copy;
        synchronized (this) {
            copy = new TreeMap<>(ranges);
            ranges.clear();
        }
        copy.forEach(other::add);
    }

    /** Forgets every range (the volume's blocks may have been discarded). */
    synchronized void forget() {
        ranges.clear();
    }

    /** How many disjoint ranges are kept. */
    synchronized int size() {
        return ranges.size();
    }
}
