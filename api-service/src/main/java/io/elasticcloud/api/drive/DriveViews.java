package io.elasticcloud.api.drive;

import io.elasticcloud.api.common.Pages;
import io.elasticcloud.api.storage.StorageNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Drive info as customers see it: each drive's row together with what surrounds it (imaging jobs,
 * its storage node, the servers claiming it, counts not yet written), gathered in one place.
 */
@Component
public class DriveViews {
    private final ImagingJobRepository jobs;
    private final StorageNodes nodes;
    private final DriveClaims claims;
    private final DriveCounters counters;
    private final TransactionTemplate readOnly;
    private final DriveRows rows;

    public DriveViews(ImagingJobRepository jobs, StorageNodes nodes, DriveClaims claims, DriveCounters counters,
                      PlatformTransactionManager transactions, DriveRows rows) {
        this.rows = rows;
        this.jobs = jobs;
        this.nodes = nodes;
        this.claims = claims;
        this.counters = counters;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /**
     * Loads drives and shows them with no counter flush in between (see {@link DriveCounters}),
     * in one read-only transaction: one connection for the row, its jobs and its claims. The
     * lock is taken before the connection, never the other way round, so that a flush waiting for
     * a connection can never be waited for by views that hold them all.
     */
    public List<Map<String, String>> load(UUID viewer, Supplier<List<Drive>> drives) {
        return counters.consistent(() -> readOnly.execute(status -> infos(viewer, drives.get())));
    }

    /**
     * The infos of a listing of drives, as {@link #load} shows them, handed to {@code sink} a page
     * at a time ({@link Pages}): each page loaded and shown in one transaction with no counter
     * flush in between, the lock and the connection given back before the page is written.
     *
     * @param pageAfter the page of drives after one ({@code null}: the first)
     */
    public void each(UUID viewer, Function<Drive, List<Drive>> pageAfter, Consumer<Map<String, String>> sink) {
        Pages.<Shown>forEach(Pages.SIZE, last -> counters.consistent(() -> readOnly.execute(status -> {
            List<Drive> page = pageAfter.apply(last == null ? null : last.drive());
            List<Map<String, String>> infos = infos(viewer, page);
            List<Shown> shown = new ArrayList<>(page.size());
            for (int i = 0; i < page.size(); i++) {
                shown.add(new Shown(page.get(i), infos.get(i)));
            }
            return shown;
        })), page -> page.forEach(s -> sink.accept(s.info())));
    }

    /** A drive of a page and its info. */
    private record Shown(Drive drive, Map<String, String> info) {
    }

    /**
     * The info of one drive {@code user} may see (their own or a standard one), as {@link #load}
     * does it but in one SQL statement for the row and its jobs, and one for its claims, without
     * the entity manager: this is the call customers' tools poll.
     */
    public Map<String, String> loadVisible(UUID user, UUID id) {
        return counters.consistent(() -> {
            DriveRows.Loaded loaded = rows.find(id)
                    .filter(l -> l.drive().visibleTo(user))
                    .orElseThrow(() -> DriveService.missing(id));
            Drive drive = loaded.drive();
            return DriveView.info(drive, new DriveView.Around(loaded.imaging(), nodes.reachable(drive.storageNode()),
                    DriveClaims.claimed(claims.claims(id), user), counters.pending(id)));
        });
    }

    /** The info {@code viewer} sees: no other customer's ids in {@code claimed} ({@link DriveClaims.Claim#shownTo}). */
    public Map<String, String> info(UUID viewer, Drive drive) {
        return DriveView.info(drive, around(viewer, drive, jobs.findByTargetOrderByCreatedAtAscIdAsc(drive.id())));
    }

    /** The infos of {@code drives} as {@link #info} shows each, in one query per kind of row. */
    public List<Map<String, String>> infos(UUID viewer, List<Drive> drives) {
        if (drives.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = drives.stream().map(Drive::id).toList();
        Map<UUID, List<Integer>> imagingByDrive = rows.imaging(ids);
        Map<UUID, List<DriveClaims.Claim>> claimsByDrive = claims.claims(ids);
        return drives.stream()
                .map(d -> DriveView.info(d, around(viewer, d, imagingByDrive.getOrDefault(d.id(), List.of()),
                        claimsByDrive.getOrDefault(d.id(), List.of()))))
                .toList();
    }

    private DriveView.Around around(UUID viewer, Drive drive, List<ImagingJob> jobsOfDrive) {
        return around(viewer, drive, jobsOfDrive.stream().map(ImagingJob::percent).toList(),
                claims.claims(drive.id()));
    }

    private DriveView.Around around(UUID viewer, Drive drive, List<Integer> imaging,
                                    List<DriveClaims.Claim> claimsOfDrive) {
        return new DriveView.Around(imaging,
                nodes.reachable(drive.storageNode()), DriveClaims.claimed(claimsOfDrive, viewer),
                counters.pending(drive.id()));
    }
}
