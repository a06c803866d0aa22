package io.elasticcloud.api.drive;

import io.elasticcloud.protocol.ElasticException;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * What uses a drive besides its owner's requests: imagings (its {@link ImagingJob}s, as target or
 * source) and servers on hosts ({@link DriveClaims}, answered by the server feature), asked before
 * a drive may be destroyed or started on, and told ({@link DriveAccessChanged}) when who may read
 * it changes. Drives know nothing of servers; this is where they meet.
 */
@Component
class DriveUsers {
    private final ImagingJobRepository jobs;
    private final DriveClaims claims;
    private final ApplicationEventPublisher events;

    DriveUsers(ImagingJobRepository jobs, DriveClaims claims, ApplicationEventPublisher events) {
        this.jobs = jobs;
        this.claims = claims;
        this.events = events;
    }

    /** Whether {@code drive} is the target of an imaging not finished yet. */
    boolean beingImaged(UUID drive) {
        return !jobs.findByTargetOrderByCreatedAtAscIdAsc(drive).isEmpty();
    }

    /** Whether {@code drive} is the source of an imaging its owner started and that has not finished. */
    boolean imagedFrom(Drive drive) {
        return jobs.copiedByOwner(drive.id(), drive.owner());
    }

    /**
     * {@code busy} unless {@code user} may destroy {@code drive} now: it is not being imaged, nor
     * copied into one of its owner's drives, and none of the user's own servers on a host uses it.
     * Readers are never in the way: their servers are stopped and their copies cancelled after
     * the destroy ({@link #accessChanged}).
     */
    void checkDestroyable(Drive drive, UUID user) {
        UUID id = drive.id();
        if (beingImaged(id) || imagedFrom(drive)) {
            throw ElasticException.busy("drive %s is being imaged, or is the source of an imaging", id);
        }
        if (claims.inUseBy(id, user)) {
            // only the owner's own servers: readers' servers are stopped after the destroy, never in the way
            throw ElasticException.busy("drive %s is in use by an active server", id);
        }
    }

    /** Tells the server feature that who may read the drive changed, or that it is gone ({@code destroyed}). */
    void accessChanged(UUID drive, UUID owner, boolean destroyed) {
        events.publishEvent(new DriveAccessChanged(drive, owner, destroyed));
    }
}
