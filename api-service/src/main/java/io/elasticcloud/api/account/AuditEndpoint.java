package io.elasticcloud.api.account;

import io.elasticcloud.api.common.AdminPage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

/**
 * {@code GET /actuator/audit}: every change to every account and host, oldest first (admins only),
 * a page at a time ({@link AdminPage}).
 */
@Component
@Endpoint(id = "audit")
public class AuditEndpoint {
    private final AuditLog audit;

    public AuditEndpoint(AuditLog audit) {
        this.audit = audit;
    }

    @ReadOperation
    public List<Map<String, String>> entries(@Nullable Integer offset, @Nullable Integer limit) {
        return audit.findAllByOrderByIdAsc(AdminPage.of(offset, limit).pageable()).stream().map(AuditEndpoint::view).toList();
    }

    public static Map<String, String> view(AuditEntry entry) {
        Map<String, String> view = new LinkedHashMap<>();
        view.put("id", entry.id().toString());
        view.put("at", entry.at().toString());
        view.put("actor", entry.actor());
        view.put("action", entry.action());
        if (entry.account() != null) {
            view.put("user", entry.account().toString());
        }
        if (entry.host() != null) {
            view.put("host", entry.host());
        }
        if (entry.detail() != null) {
            view.put("detail", entry.detail());
        }
        return view;
    }
}
