package io.elasticcloud.api.resource;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface VlanRepository extends JpaRepository<Vlan, UUID> {

    List<Vlan> findByOwnerOrderByCreatedAtAscIdAsc(UUID owner);

    long countByOwner(UUID owner);

    /** Per owner, the VLANs they hold. */
    @Query("select new io.elasticcloud.api.resource.ResourceCountOfOwner(v.owner, count(v)) from Vlan v"
            + " group by v.owner")
    List<ResourceCountOfOwner> countByOwnerGrouped();

    /** The row of a VLAN, locked until the transaction ends (other lockers wait). */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select v from Vlan v where v.id = :id")
    Optional<Vlan> lock(UUID id);

    /** The highest VNI a VLAN holds, 0 for none. */
    @Query("select coalesce(max(v.vni), 0) from Vlan v")
    int highestVni();
}
