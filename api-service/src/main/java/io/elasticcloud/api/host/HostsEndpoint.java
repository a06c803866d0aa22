package io.elasticcloud.api.host;

import io.elasticcloud.api.account.AuditEndpoint;
import io.elasticcloud.api.account.AuditLog;
import io.elasticcloud.api.common.AdminPage;
import io.elasticcloud.api.security.Actor;
import io.elasticcloud.protocol.ElasticException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/hosts}, for admins: {@code GET} lists the hypervisor hosts by name, a page at a time ({@link AdminPage}) (reachable, last
 * heartbeat, capacity used and free, guests, maintenance); {@code GET /actuator/hosts/NODE} shows
 * one with its audit trail; {@code POST /actuator/hosts/NODE} with {@code {"maintenance": true}}
 * takes it out of placement, {@code false} puts it back.
 */
@Component
@Endpoint(id = "hosts")
public class HostsEndpoint {
    private final HostAdministration hosts;
    private final AuditLog audit;

    public HostsEndpoint(HostAdministration hosts, AuditLog audit) {
        this.hosts = hosts;
        this.audit = audit;
    }

    @ReadOperation
    public List<Map<String, Object>> list(@Nullable Integer offset, @Nullable Integer limit) {
        return hosts.hosts(AdminPage.of(offset, limit)).stream().map(HostView::describe).toList();
    }

    @ReadOperation
    public Map<String, Object> show(@Selector String node) {
        Map<String, Object> view = new LinkedHashMap<>(hosts.host(node).describe());
        view.put("audit", audit.findByHostOrderByIdAsc(node).stream().map(AuditEndpoint::view).toList());
        return view;
    }

    @WriteOperation
    public Map<String, Object> change(@Selector String node, @Nullable Boolean maintenance) {
        if (maintenance == null) {
            throw ElasticException.usage("maintenance must be true or false");
        }
        return hosts.maintenance(Actor.current(), node, maintenance).describe();
    }
}
