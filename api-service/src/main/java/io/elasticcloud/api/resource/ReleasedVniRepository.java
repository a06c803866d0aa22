package io.elasticcloud.api.resource;

import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ReleasedVniRepository extends JpaRepository<ReleasedVni, Integer> {

    @Query("select coalesce(max(r.vni), 0) from ReleasedVni r")
    int highest();

    /** VNIs released at or before {@code before}, the longest released first. */
    @Query("select r.vni from ReleasedVni r where r.releasedAt <= :before order by r.releasedAt, r.vni")
    List<Integer> releasedBefore(Instant before, Pageable page);

    /** Takes a released VNI back; 0 when another caller took it first. */
    @Modifying
    @Query("delete from ReleasedVni r where r.vni = :vni")
    int take(int vni);
}
