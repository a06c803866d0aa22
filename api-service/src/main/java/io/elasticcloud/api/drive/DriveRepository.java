package io.elasticcloud.api.drive;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

public interface DriveRepository extends JpaRepository<Drive, UUID> {

    /** The first page of {@code owner}'s drives, oldest first ({@link io.elasticcloud.api.common.Pages}). */
    List<Drive> findByOwnerOrderByCreatedAtAscIdAsc(UUID owner, Limit limit);

    /** The page of {@code owner}'s drives after the one created at {@code at} with id {@code id}, in that order. */
    @Query("select d from Drive d where d.owner = :owner and (d.createdAt > :at or (d.createdAt = :at and d.id > :id))"
            + " order by d.createdAt, d.id")
    List<Drive> pageOfOwnerAfter(UUID owner, Instant at, UUID id, Limit limit);

    /**
     * The drive's row, locked until the transaction ends ({@code SELECT … FOR UPDATE}): a server's
     * start and the owner's {@code set}, {@code image} and {@code destroy} of the drive take it, so
     * that a start never passes its checks against a state the owner has just changed.
     */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select d from Drive d where d.id = :id")
    Optional<Drive> findLockedById(UUID id);

    List<Drive> findByStandardTrueOrderByNameAscIdAsc();

    List<Drive> findByStorageNode(String storageNode);

    @Query("select coalesce(sum(d.size), 0) from Drive d")
    long sumSize();

    /**
     * Counters are added to in place, so that no count is ever lost between two writers. SQL, not
     * JPQL: Hibernate would translate a JPQL update again at every call.
     */
    @Modifying
    @Transactional
    @Query(value = "UPDATE drive SET read_bytes = read_bytes + :readBytes, read_requests = read_requests + :readRequests,"
            + " write_bytes = write_bytes + :writeBytes, write_requests = write_requests + :writeRequests"
            + " WHERE id = :id", nativeQuery = true)
    void addCounts(UUID id, long readBytes, long readRequests, long writeBytes, long writeRequests);
}
