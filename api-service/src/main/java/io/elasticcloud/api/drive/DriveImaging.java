package io.elasticcloud.api.drive;

import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.storage.Conversion;
import io.elasticcloud.protocol.storage.StorageCommands.CancelImaging;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.VolumeRef;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Imaging one drive from another: the request is recorded as an {@link ImagingJob}, the target's
 * storage node copies (one job per target at a time; later ones wait, shown as {@code queued}, up
 * to {@link #MAX_JOBS_PER_TARGET} in all),
 * and its progress events move the job's percentage until the finishing event removes it
 * ({@link ImagingEvents}). Jobs
 * still recorded are sent again at start and periodically: a node runs a job id it holds once,
 * and one it dropped (stopped meanwhile) from the start.
 */
@Service
public class DriveImaging {
    private static final Logger log = LoggerFactory.getLogger(DriveImaging.class);
    /**
     * Imagings one drive may have unfinished, the running one included: enough to queue a few,
     * few enough that one customer's requests (counted under the target's row lock) cannot grow
     * the jobs every instance sends again without end.
     */
    static final int MAX_JOBS_PER_TARGET = 4;

    private final DriveService drives;
    private final DriveRepository driveRepository;
    private final ImagingJobRepository jobs;
    private final NodeClient storage;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final DriveClaims claims;

    public DriveImaging(DriveService drives, DriveRepository driveRepository, ImagingJobRepository jobs,
                        NodeClient storage, TransactionTemplate tx, Optional<Clock> clock, DriveClaims claims) {
        this.claims = claims;
        this.drives = drives;
        this.driveRepository = driveRepository;
        this.jobs = jobs;
        this.storage = storage;
        this.tx = tx;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    public void image(UUID user, UUID targetId, UUID sourceId, Conversion conversion) {
        ImagingJob job = tx.execute(status -> {
            // both rows locked, in UUID order: an owner's set that takes the user off the source's
            // readers is wholly before this (refused) or after (the job recorded: it cancels it)
            boolean targetFirst = targetId.compareTo(sourceId) <= 0;
            Drive first = targetFirst ? drives.ownedLocked(user, targetId) : drives.readableLocked(user, sourceId);
            Drive target = targetFirst ? first : drives.ownedLocked(user, targetId);
            Drive source = targetFirst ? drives.readableLocked(user, sourceId) : first;
            if (target.id().equals(source.id())) {
                throw ElasticException.usage("a drive cannot be imaged from itself");
            }
            long unfinished = jobs.countByTarget(target.id());
            if (unfinished >= MAX_JOBS_PER_TARGET) {
                throw ElasticException.busy("drive %s has %d imagings unfinished, the most one drive may have",
                        target.id(), unfinished);
            }
            if (claims.inUseBy(target.id(), user)) {
                // readers' servers have it read-only and are not in the owner's way
                throw ElasticException.busy("drive %s is in use by an active server", target.id());
            }
            target.imagingError(null);
            driveRepository.save(target);
            return jobs.save(new ImagingJob(UUID.randomUUID(), target.id(), source.id(), conversion, clock.instant()));
        });
        try {
            send(job);
        } catch (RuntimeException e) {
            tx.executeWithoutResult(status -> jobs.deleteById(job.id()));
            throw e;
        }
    }

    /**
     * The claim an unfinished imaging holds on its target, in {@code claimed} beside the servers'
     * ({@code imaging:DRIVE}, queued or running): clients that wait for {@code claimed} to empty
     * (jclouds) wait for the copy too. It names only the target itself, never the source or whose
     * it is, so a drive imaged from another customer's shows nothing of theirs.
     */
    public static Optional<String> claim(UUID target, List<Integer> progressOfJobs) {
        return progressOfJobs.isEmpty() ? Optional.empty() : Optional.of("imaging:" + target);
    }

    /** What the drive's {@code imaging} key shows: the running job's percentage, else {@code queued}. */
    public static Optional<String> imagingState(List<Integer> progressOfJobs) {
        if (progressOfJobs.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(progressOfJobs.stream().filter(Objects::nonNull).findFirst()
                .map(percent -> percent + "%").orElse("queued"));
    }

    private void send(ImagingJob job) {
        Drive target = driveRepository.findById(job.target()).orElseThrow();
        Drive source = driveRepository.findById(job.source())
                .orElseThrow(() -> ElasticException.missing("no drive %s", job.source()));
        storage.call(target.storageNode(), new ImageVolume("image-" + job.id(), job.id().toString(),
                target.id().toString(), new VolumeRef(source.storageNode(), source.id().toString()),
                DriveService.volumeSize(source.size()), job.conversion()));
    }

    /** Sends the jobs still recorded when the service starts again, oldest first ({@link ImagingResend}). */
    @EventListener(ApplicationReadyEvent.class)
    void resendUnfinished() {
        for (ImagingJob job : jobs.findAll(ImagingResend.OLDEST_FIRST)) {
            resend(job);
        }
    }

    /**
     * Sends {@code job} again; a node that holds it ignores it, one that finished it announces its
     * end again, one that dropped it runs it anew. A job whose requester may no longer read its
     * source (a cancel that failed, {@link #accessChanged}) is cancelled instead.
     */
    void resend(ImagingJob job) {
        try {
            Drive target = driveRepository.findById(job.target()).orElseThrow();
            if (drives.mayRead(target.owner(), job.source())) {
                send(job);
            } else {
                cancel(job, target);
            }
        } catch (RuntimeException e) {
            log.warn("imaging job {} could not be sent again: {}", job.id(), e.getMessage());
        }
    }

    /**
     * The owner comes first: when the owner of a drive destroys it, or takes readers off its
     * {@code readers}, the copies of it into the drives of customers who may no longer read it
     * end before the owner's call answers. Their storage node stops each before it passes on
     * another byte of the source, so nothing the owner writes afterwards reaches them, and files it
     * as ended ({@code imaging:error missing} on the target, from its announcement). A cancel that
     * fails fails the owner's {@code set} (sent again, it cancels again) and is retried by the
     * periodic resending; a destroyed source's volume goes anyway, and no copy reads it after.
     */
    @EventListener
    void accessChanged(DriveAccessChanged change) {
        RuntimeException failed = null;
        for (ImagingJob job : jobs.findBySource(change.drive())) {
            Optional<Drive> target = driveRepository.findById(job.target())
                    .filter(t -> !t.owner().equals(change.owner()))
                    .filter(t -> change.destroyed() || !drives.mayRead(t.owner(), change.drive()));
            try {
                target.ifPresent(t -> cancel(job, t));
            } catch (RuntimeException e) {
                log.warn("imaging job {} from drive {} could not be cancelled: {}", job.id(), change.drive(), e.getMessage());
                failed = change.destroyed() ? null : e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private void cancel(ImagingJob job, Drive target) {
        storage.call(target.storageNode(), new CancelImaging("cancel-" + job.id(), job.id().toString(),
                target.id().toString()));
    }
}
