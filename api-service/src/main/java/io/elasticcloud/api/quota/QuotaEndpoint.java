package io.elasticcloud.api.quota;

import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.security.Actor;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ElasticException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/quotas}, for admins: {@code GET} shows the default limits; {@code GET
 * /actuator/quotas/UUID} one account's limits, what it holds ({@code used}) and its override;
 * {@code POST /actuator/quotas/UUID} with JSON {@code {"drives", "disk" (bytes), "servers",
 * "cpu" (MHz), "mem" (MB), "ips", "vlans"}} replaces its override: the limits named are set, the
 * others go back to the defaults ({@code {}} removes the override). Audited.
 */
@Component
@Endpoint(id = "quotas")
public class QuotaEndpoint {
    private final Quotas quotas;

    public QuotaEndpoint(Quotas quotas) {
        this.quotas = quotas;
    }

    @ReadOperation
    public Map<String, Object> defaults() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("defaults", quotas.defaults().asMap());
        return view;
    }

    @ReadOperation
    public Map<String, Object> account(@Selector String user) {
        return quotas.view(uuid(user));
    }

    @WriteOperation
    public Map<String, Object> override(@Selector String user, @Nullable Long drives, @Nullable Long disk,
                                        @Nullable Long servers, @Nullable Long cpu, @Nullable Long mem,
                                        @Nullable Long ips, @Nullable Long vlans) {
        UUID account = uuid(user);
        quotas.override(Actor.current(), account, new Long[] {drives, disk, servers, cpu, mem, ips, vlans});
        return quotas.view(account);
    }

    private static UUID uuid(String user) {
        return KeyRules.parseUuid(user)
                .orElseThrow(() -> ElasticException.missing("no user %s", ApiText.quote(user)));
    }
}
