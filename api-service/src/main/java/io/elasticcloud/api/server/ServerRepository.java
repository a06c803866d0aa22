package io.elasticcloud.api.server;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface ServerRepository extends JpaRepository<Server, UUID> {

    List<Server> findByOwnerOrderByCreatedAtAscIdAsc(UUID owner);

    List<Server> findByStatusIn(Collection<ServerStatus> statuses);

    List<Server> findByHostAndStatusIn(String host, Collection<ServerStatus> statuses);

    /** The servers in {@code statuses} configured with {@code drive} on some device. */
    @Query("select distinct s from Server s join s.drives d where d.drive = :drive and s.status in :statuses")
    List<Server> findByDriveAndStatusIn(UUID drive, Collection<ServerStatus> statuses);

    @Query("select coalesce(sum(s.cpu), 0) from Server s where s.host = :host and s.status in :statuses")
    long sumCpuOnHost(String host, Collection<ServerStatus> statuses);

    @Query("select coalesce(sum(s.mem), 0) from Server s where s.host = :host and s.status in :statuses")
    long sumMemOnHost(String host, Collection<ServerStatus> statuses);

    /** The servers with {@code mac} as the MAC address of one of their interfaces. */
    @Query("select s from Server s join s.config c where key(c) in ('nic:0:mac', 'nic:1:mac') and value(c) = :mac")
    List<Server> findByMac(String mac);
}
