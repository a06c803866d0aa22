package io.elasticcloud.api.host;

import java.util.Set;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface HostMaintenanceRepository extends JpaRepository<HostMaintenance, String> {

    @Query("select m.node from HostMaintenance m")
    Set<String> nodes();
}
