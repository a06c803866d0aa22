package io.elasticcloud.api.drive;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

public interface DriveRepository extends JpaRepository<Drive, UUID> {

    List<Drive> findByOwnerOrderByCreatedAtAscIdAsc(UUID owner);

    List<Drive> findByStandardTrueOrderByNameAscIdAsc();

    List<Drive> findByStorageNode(String storageNode);

    @Query("select coalesce(sum(d.size), 0) from Drive d")
    long sumSize();

    @Query("select coalesce(sum(d.size), 0) from Drive d where d.storageNode = :node")
    long sumSizeOnNode(String node);

    /** Counters are bumped in place so that parallel reads and writes never lose a count. */
    @Modifying
    @Transactional
    @Query("update Drive d set d.readBytes = d.readBytes + :bytes, d.readRequests = d.readRequests + 1 where d.id = :id")
    void countRead(UUID id, long bytes);

    @Modifying
    @Transactional
    @Query("update Drive d set d.writeBytes = d.writeBytes + :bytes, d.writeRequests = d.writeRequests + 1 where d.id = :id")
    void countWrite(UUID id, long bytes);
}
