package io.elasticcloud.api.drive;

import io.elasticcloud.api.common.Pages;
import io.elasticcloud.api.quota.Admission;
import io.elasticcloud.api.storage.StoragePlacement;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.NodeStatus;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The drive commands: what a customer may see and change, decided here, carried out by storage
 * nodes over the bus. Database transactions never span a bus call: the row is written first
 * (placement is decided by it) and undone when the storage node refuses. The volumes themselves
 * are {@link DriveVolumes}'; imagings and servers that use a drive are {@link DriveUsers}'.
 */
@Service
public class DriveService {
    private static final Logger log = LoggerFactory.getLogger(DriveService.class);
    /** Volumes are whole 512-byte sectors (LUKS encrypts by sector); the drive keeps its exact size. */
    static final long SECTOR = 512;

    private final DriveRepository drives;
    private final DriveTotals totals;
    private final DriveVolumes volumes;
    private final DriveUsers users;
    private final StoragePlacement placement;
    private final Admission admission;
    private final TransactionTemplate tx;
    private final Clock clock;

    /** @param placement its lock is held from choosing a node to recording the drive there */
    DriveService(DriveRepository drives, DriveTotals totals, DriveVolumes volumes, DriveUsers users,
                 StoragePlacement placement, Admission admission, TransactionTemplate tx, Optional<Clock> clock) {
        this.drives = drives;
        this.totals = totals;
        this.volumes = volumes;
        this.users = users;
        this.placement = placement;
        this.admission = admission;
        this.tx = tx;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** The page of the user's drives after {@code last} (null: the first), oldest first. */
    public List<Drive> pageAfter(UUID user, Drive last) {
        return last == null ? drives.findByOwnerOrderByCreatedAtAscIdAsc(user, Limit.of(Pages.SIZE))
                : drives.pageOfOwnerAfter(user, last.createdAt(), last.id(), Limit.of(Pages.SIZE));
    }

    public List<Drive> standard() {
        return drives.findByStandardTrueOrderByNameAscIdAsc();
    }

    /** A drive the user may change: their own. Another user's drive is reported as missing. */
    public Drive owned(UUID user, UUID id) {
        return drives.findById(id).filter(d -> d.owner().equals(user)).orElseThrow(() -> missing(id));
    }

    /** As {@link #owned}, its row locked until the transaction ends (in a transaction). */
    public Drive ownedLocked(UUID user, UUID id) {
        return drives.findLockedById(id).filter(d -> d.owner().equals(user)).orElseThrow(() -> missing(id));
    }

    /**
     * As {@link #readable}, its row locked until the transaction ends (in a transaction): what a
     * server's start checks a drive with.
     */
    public Drive readableLocked(UUID user, UUID id) {
        return drives.findLockedById(id).filter(d -> d.readableBy(user)).orElseThrow(() -> missing(id));
    }

    /** Whether {@code drive} is the target of an imaging not finished yet. */
    public boolean beingImaged(UUID drive) {
        return users.beingImaged(drive);
    }

    /**
     * Whether {@code drive} is the source of an imaging its owner started and that has not
     * finished: read by the copy, so it is not written meanwhile (the copy would take part old,
     * part new bytes). A reader's copy never holds the owner back.
     */
    public boolean imagedFrom(Drive drive) {
        return users.imagedFrom(drive);
    }

    /** Whether {@link #readable} answers the drive (false also when it is gone). */
    public boolean mayRead(UUID user, UUID id) {
        return drives.findById(id).filter(d -> d.readableBy(user)).isPresent();
    }

    /** A drive whose bytes the user may read: their own, a standard one, or one listing them as a reader. */
    public Drive readable(UUID user, UUID id) {
        return drives.findById(id).filter(d -> d.readableBy(user)).orElseThrow(() -> missing(id));
    }

    public Drive create(UUID user, DriveRequest request) {
        Cipher cipher = request.cipher() != null ? request.cipher() : Cipher.AES_XTS_PLAIN;
        Set<String> avoid = volumes.avoidedHardware(user, request.avoid());
        DriveSettings settings = request.settingsOver("");
        return createOnNode(UUID.randomUUID(), user, settings, request.size(), cipher, avoid, null);
    }

    /**
     * Records the drive on a chosen node, then has the node create its volume; the record is
     * removed again if the node refuses. {@code standard} makes it a library drive; any other is
     * checked by quotas and billing ({@link Admission}) first, in the transaction that records it.
     */
    Drive createOnNode(UUID id, UUID owner, DriveSettings settings, long size, Cipher cipher, Set<String> avoid,
                       java.util.function.Consumer<Drive> standard) {
        Drive drive = placement.locked(() -> tx.execute(status -> {
                if (standard == null) {
                    admission.newDrive(owner, size);
                }
                NodeStatus node = volumes.choose(size, avoid);
                Drive d = new Drive(id, owner, settings, size, cipher, node.node(), clock.instant());
                if (standard != null) {
                    standard.accept(d);
                }
                return totals.add(d);
            }));
        try {
            volumes.create(drive, size, cipher);
        } catch (RuntimeException e) {
            tx.executeWithoutResult(status -> totals.remove(id));
            throw e;
        }
        return drive;
    }

    public Drive set(UUID user, UUID id, DriveRequest request) {
        Drive current = owned(user, id);
        if (request.cipher() != null && request.cipher() != current.cipher()) {
            throw ElasticException.usage("encryption:cipher cannot change after a drive is created");
        }
        Long size = request.size();
        if (size != null && size != 0 && size != current.size()) {
            grow(current, size);
        }
        Drive saved = tx.execute(status -> {
            Drive drive = ownedLocked(user, id);
            drive.apply(request.settingsOver(drive.userKeys()));
            return drives.save(drive);
        });
        // readers taken off the list lose the drive now, in their running servers too
        users.accessChanged(saved.id(), saved.owner(), false);
        return saved;
    }

    private void grow(Drive current, long size) {
        if (size < current.size()) {
            throw ElasticException.usage("size: drive %s is %d bytes; shrinking it would destroy data",
                    current.id(), current.size());
        }
        long before = current.size();
        placement.locked(() -> {
            tx.executeWithoutResult(status -> {
                // the drive's row before the account's (the order of row locks, lock.Locks)
                drives.findLockedById(current.id()).orElseThrow(() -> missing(current.id()));
                admission.moreDisk(current.owner(), size - before);
                volumes.checkRoomToGrow(current, before, size);
                totals.resize(current.id(), size);
            });
        });
        try {
            volumes.resize(current, size);
        } catch (RuntimeException e) {
            tx.executeWithoutResult(status -> totals.resize(current.id(), before));
            throw e;
        }
    }

    public void destroy(UUID user, UUID id) {
        Drive drive = tx.execute(status -> {
            Drive d = ownedLocked(user, id);
            users.checkDestroyable(d, user);
            totals.remove(id);
            return d;
        });
        users.accessChanged(id, drive.owner(), true);
        try {
            volumes.destroy(drive);
        } catch (ElasticException e) {
            // The drive is gone for the customer; the volume left behind is removed when the
            // storage node is reconciled (VolumeReconciler).
            log.warn("drive {} deleted but its volume on {} was not: {}", id, drive.storageNode(), e.getMessage());
        }
    }

    static long volumeSize(long size) {
        return (size + SECTOR - 1) / SECTOR * SECTOR;
    }

    static ElasticException missing(UUID id) {
        return ElasticException.missing("no drive %s", id);
    }
}
