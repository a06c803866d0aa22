package io.elasticcloud.api.drive;

import jakarta.annotation.PreDestroy;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The drives' I/O counters. A read or write adds to counts kept in memory, written to the database
 * once a second in one update per drive, not one transaction per 4 MiB request. Info shows the
 * database's counts plus the ones still in memory; {@link #consistent} keeps a flush from moving
 * counts between the two while a view is built, so the figures are exact at every moment. A
 * crash loses at most the last second of counts: statistics, not data.
 */
@Component
public class DriveCounters {
    private final DriveRepository drives;
    private final Map<UUID, Pending> pending = new ConcurrentHashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** Counts of one drive not yet in the database. */
    public record Counts(long readBytes, long readRequests, long writeBytes, long writeRequests) {
        public static final Counts NONE = new Counts(0, 0, 0, 0);

        boolean none() {
            return readRequests == 0 && writeRequests == 0;
        }
    }

    private static final class Pending {
        final LongAdder readBytes = new LongAdder();
        final LongAdder readRequests = new LongAdder();
        final LongAdder writeBytes = new LongAdder();
        final LongAdder writeRequests = new LongAdder();

        Counts sum() {
            return new Counts(readBytes.sum(), readRequests.sum(), writeBytes.sum(), writeRequests.sum());
        }

        void subtract(Counts c) {
            readBytes.add(-c.readBytes());
            readRequests.add(-c.readRequests());
            writeBytes.add(-c.writeBytes());
            writeRequests.add(-c.writeRequests());
        }
    }

    public DriveCounters(DriveRepository drives) {
        this.drives = drives;
    }

    public void read(UUID drive, long bytes) {
        Pending p = pending.computeIfAbsent(drive, d -> new Pending());
        p.readBytes.add(bytes);
        p.readRequests.increment();
    }

    public void write(UUID drive, long bytes) {
        Pending p = pending.computeIfAbsent(drive, d -> new Pending());
        p.writeBytes.add(bytes);
        p.writeRequests.increment();
    }

    /** The counts of a drive still in memory; call within {@link #consistent}. */
    public Counts pending(UUID drive) {
        Pending p = pending.get(drive);
        return p == null ? Counts.NONE : p.sum();
    }

    /** Builds a view (loading drives and reading pending counts) that no flush runs through. */
    public <T> T consistent(Supplier<T> view) {
        lock.readLock().lock();
        try {
            return view.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Scheduled(fixedDelayString = "${elastic.counters.flush-interval:1s}")
    @PreDestroy
    public void flush() {
        lock.writeLock().lock();
        try {
            for (Map.Entry<UUID, Pending> entry : pending.entrySet()) {
                Counts counts = entry.getValue().sum();
                if (counts.none()) {
                    pending.remove(entry.getKey(), entry.getValue());
                    continue;
                }
                drives.addCounts(entry.getKey(), counts.readBytes(), counts.readRequests(), counts.writeBytes(),
                        counts.writeRequests());
                entry.getValue().subtract(counts);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
