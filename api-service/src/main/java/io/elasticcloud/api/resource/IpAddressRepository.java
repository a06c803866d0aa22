package io.elasticcloud.api.resource;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

/**
 * The addresses handed out. Updates and deletes are SQL: Hibernate translates a JPQL update or
 * delete again at every call (it keeps no plan for them), and these run at starts and stops.
 */
public interface IpAddressRepository extends JpaRepository<IpAddress, String> {

    /** A customer's static IPs. */
    List<IpAddress> findByOwnerAndServerIsNullOrderByCreatedAtAscAddressAsc(UUID owner);

    /** The addresses taken from a pool, by anyone. */
    @Query("select a.address from IpAddress a where a.pool = :pool")
    List<String> addressesOf(String pool);

    List<IpAddress> findByPoolOrderByAddressAsc(String pool, Pageable page);

    @Query("select count(a) from IpAddress a where a.owner = :owner and a.server is null")
    long countStaticOf(UUID owner);

    /** Per owner, the static IPs they hold. */
    @Query("select new io.elasticcloud.api.resource.ResourceCountOfOwner(a.owner, count(a)) from IpAddress a"
            + " where a.server is null group by a.owner")
    List<ResourceCountOfOwner> countStaticByOwner();

    @Query("select count(a) from IpAddress a where a.pool = :pool and a.server is null")
    long countStatic(String pool);

    @Query("select count(a) from IpAddress a where a.pool = :pool and a.server is not null")
    long countTemporary(String pool);

    /** The row of an address, locked until the transaction ends (other lockers wait). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select a from IpAddress a where a.address = :address")
    Optional<IpAddress> lock(String address);

    Optional<IpAddress> findByServer(UUID server);

    /** The temporary addresses {@code owner}'s servers hold. */
    List<IpAddress> findByOwnerAndServerIsNotNull(UUID owner);

    @Modifying
    @Query(value = "DELETE FROM ip_address WHERE server_id = :server", nativeQuery = true)
    int deleteByServer(UUID server);

    /** Marks the temporary address of {@code server} ended at {@code at} (its guest being stopped), unless it is already. */
    @Modifying
    @Query(value = "UPDATE ip_address SET ended_at = :at WHERE server_id = :server AND ended_at IS NULL", nativeQuery = true)
    int endByServer(UUID server, Instant at);

    /** Deletes the temporary address of {@code server} if it was ended (not one taken by a start since). */
    @Modifying
    @Query(value = "DELETE FROM ip_address WHERE server_id = :server AND ended_at IS NOT NULL", nativeQuery = true)
    int deleteEndedByServer(UUID server);

    /** Deletes one temporary address exactly as it was read (not one taken again since). */
    @Modifying
    @Query(value = "DELETE FROM ip_address WHERE address = :address AND server_id = :server AND created_at = :createdAt",
            nativeQuery = true)
    int deleteLease(String address, UUID server, Instant createdAt);
}
