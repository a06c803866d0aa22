package io.elasticcloud.api.drive;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

public interface DriveRepository extends JpaRepository<Drive, UUID> {

    List<Drive> findByOwnerOrderByCreatedAtAscIdAsc(UUID owner);

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

    @Query("select coalesce(sum(d.size), 0) from Drive d where d.storageNode = :node")
    long sumSizeOnNode(String node);

    /** The bytes of the drives {@code owner} holds (standard drives are the operator's). */
    @Query("select coalesce(sum(d.size), 0) from Drive d where d.owner = :owner and d.standard = false")
    long sumSizeOfOwner(UUID owner);

    /** The drives {@code owner} holds (standard drives are the operator's). */
    @Query("select count(d) from Drive d where d.owner = :owner and d.standard = false")
    long countOfOwner(UUID owner);

    /** The encrypted drives on a storage node: each costs the node its volume's overhead besides its size. */
    @Query("select count(d) from Drive d where d.storageNode = :node"
            + " and d.cipher <> io.elasticcloud.protocol.storage.Cipher.NONE")
    long countEncryptedOnNode(String node);

    /** Per owner, the bytes of their drives. */
    @Query("select new io.elasticcloud.api.drive.DriveBytesOfOwner(d.owner, sum(d.size)) from Drive d"
            + " where d.standard = false group by d.owner")
    List<DriveBytesOfOwner> sumSizeByOwner();

    /** Counters are added to in place, so that no count is ever lost between two writers. */
    @Modifying
    @Transactional
    @Query("update Drive d set d.readBytes = d.readBytes + :readBytes, d.readRequests = d.readRequests + :readRequests, "
            + "d.writeBytes = d.writeBytes + :writeBytes, d.writeRequests = d.writeRequests + :writeRequests "
            + "where d.id = :id")
    void addCounts(UUID id, long readBytes, long readRequests, long writeBytes, long writeRequests);
}
