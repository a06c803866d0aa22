package io.elasticcloud.api.drive;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface ImagingJobRepository extends JpaRepository<ImagingJob, UUID> {

    /** The job's row, locked until the transaction ends ({@code SELECT … FOR UPDATE}). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select j from ImagingJob j where j.id = :id")
    Optional<ImagingJob> findLockedById(UUID id);

    List<ImagingJob> findByTargetOrderByCreatedAtAscIdAsc(UUID target);

    /** Jobs no storage node has reported progress on yet: waiting for an imaging thread. */
    long countByPercentIsNull();

    /** Jobs a storage node has reported progress on: running. */
    long countByPercentIsNotNull();

    /**
     * Is the drive the source of an unfinished imaging into one of {@code owner}'s drives? (A
     * reader's copy of someone else's drive does not count: the owner comes first.)
     */
    @Query("select count(j) > 0 from ImagingJob j, Drive t where j.source = :source and t.id = j.target"
            + " and t.owner = :owner")
    boolean copiedByOwner(UUID source, UUID owner);

    List<ImagingJob> findBySource(UUID source);

    long countByTarget(UUID target);
}
