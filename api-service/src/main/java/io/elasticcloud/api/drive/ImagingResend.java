package io.elasticcloud.api.drive;

import io.elasticcloud.api.storage.StorageNodes;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends unfinished imaging jobs again while their storage node reports in. A storage node that
 * stops (or restarts) drops its unfinished jobs without reporting them, so that they stay recorded
 * here, and runs a job it does not hold from the start when it comes: this is how such a job
 * resumes when the storage node is restarted but the API service is not. Oldest first, since one
 * target's jobs run in the order they arrive; a node that still holds a job ignores it. Nodes not
 * reporting are skipped, so that no bus call waits out its timeout on the scheduler's thread.
 */
@Component
class ImagingResend {
    static final Sort OLDEST_FIRST = Sort.by("createdAt", "id");

    private final ImagingJobRepository jobs;
    private final DriveRepository drives;
    private final StorageNodes nodes;
    private final DriveImaging imaging;

    ImagingResend(ImagingJobRepository jobs, DriveRepository drives, StorageNodes nodes, DriveImaging imaging) {
        this.jobs = jobs;
        this.drives = drives;
        this.nodes = nodes;
        this.imaging = imaging;
    }

    @Scheduled(initialDelayString = "${elastic.imaging.resend-interval:30s}",
            fixedDelayString = "${elastic.imaging.resend-interval:30s}")
    void resend() {
        List<ImagingJob> unfinished = jobs.findAll(OLDEST_FIRST);
        for (ImagingJob job : unfinished) {
            drives.findById(job.target())
                    .filter(target -> nodes.reachable(target.storageNode()))
                    .ifPresent(target -> imaging.resend(job));
        }
    }
}
