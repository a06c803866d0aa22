package io.elasticcloud.api.drive;

import io.elasticcloud.protocol.Events.Event;
import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.Events.ImagingProgress;
import io.elasticcloud.protocol.Transport;
import jakarta.annotation.PreDestroy;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the storage nodes report of the imagings {@link DriveImaging} sent them: a progress event
 * moves its job's percentage (never back, and never to 100 before it has finished), the finishing
 * event removes the job and records on the target drive how it failed, if it did. Events of jobs
 * no longer recorded are ignored. Every API instance receives every event: the job's row is read
 * locked ({@code SELECT … FOR UPDATE}), so the instances apply an event one after the other and
 * all but the first find nothing left to do.
 */
@Component
class ImagingEvents {
    private static final Logger log = LoggerFactory.getLogger(ImagingEvents.class);

    private final ImagingJobRepository jobs;
    private final DriveRepository drives;
    private final TransactionTemplate tx;
    private final AutoCloseable subscription;

    ImagingEvents(ImagingJobRepository jobs, DriveRepository drives, TransactionTemplate tx, Transport transport) {
        this.jobs = jobs;
        this.drives = drives;
        this.tx = tx;
        this.subscription = transport.subscribe(Set.of(ImagingProgress.class, ImagingFinished.class), this::onEvent);
    }

    void onEvent(Event event) {
        if (event instanceof ImagingProgress progress) {
            tx.executeWithoutResult(status -> jobs.findLockedById(UUID.fromString(progress.job())).ifPresent(job -> {
                if (job.percent() == null || job.percent() < progress.percent()) {
                    job.progress(Math.min(99, progress.percent()));
                    jobs.save(job);
                }
            }));
        } else if (event instanceof ImagingFinished finished) {
            tx.executeWithoutResult(status -> jobs.findLockedById(UUID.fromString(finished.job())).ifPresent(job -> {
                jobs.delete(job);
                drives.findById(job.target()).ifPresent(target -> {
                    target.imagingError(finished.error() == null ? null : finished.error().header());
                    drives.save(target);
                });
                if (finished.error() != null) {
                    log.info("imaging {} into drive {} failed: {}", job.id(), job.target(), finished.message());
                }
            }));
        }
    }

    @PreDestroy
    void close() throws Exception {
        subscription.close();
    }
}
