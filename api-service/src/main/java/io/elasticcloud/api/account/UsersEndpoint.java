package io.elasticcloud.api.account;

import io.elasticcloud.api.common.AdminPage;
import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.security.Actor;
import io.elasticcloud.protocol.ElasticException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/users}, for admins: {@code POST} creates a customer and answers its UUID and
 * key; {@code GET} lists customers, oldest first, a page at a time ({@link AdminPage}); {@code GET /actuator/users/UUID} shows one with its audit
 * trail; {@code POST /actuator/users/UUID} with {@code {"action": "disable" | "enable" |
 * "rotate-key"}} changes one (rotate-key answers the new key; the old one is refused at once).
 */
@Component
@Endpoint(id = "users")
public class UsersEndpoint {
    private final AccountService accounts;
    private final AuditLog audit;

    public UsersEndpoint(AccountService accounts, AuditLog audit) {
        this.accounts = accounts;
        this.audit = audit;
    }

    /** Takes no parameters at all, so that any POST, with or without a JSON body, creates. */
    @WriteOperation
    public Map<String, String> create() {
        return key(accounts.create(actor()));
    }

    @ReadOperation
    public List<Map<String, String>> list(@Nullable Integer offset, @Nullable Integer limit) {
        return accounts.list(AdminPage.of(offset, limit)).stream().map(UsersEndpoint::view).toList();
    }

    @ReadOperation
    public Map<String, Object> show(@Selector String user) {
        UUID id = uuid(user);
        Map<String, Object> view = new LinkedHashMap<>(view(accounts.get(id)));
        view.put("audit", audit.findByAccountOrderByIdAsc(id).stream().map(AuditEndpoint::view).toList());
        return view;
    }

    @WriteOperation
    public Map<String, String> change(@Selector String user, String action) {
        UUID id = uuid(user);
        return switch (action) {
            case "disable" -> view(accounts.setEnabled(actor(), id, false));
            case "enable" -> view(accounts.setEnabled(actor(), id, true));
            case "rotate-key" -> key(accounts.rotateKey(actor(), id));
            default -> throw ElasticException.usage("action must be disable, enable or rotate-key");
        };
    }

    private static Map<String, String> key(AccountService.NewKey created) {
        Map<String, String> reply = new LinkedHashMap<>();
        reply.put("user", created.user().toString());
        reply.put("key", created.key());
        return reply;
    }

    private static Map<String, String> view(Account account) {
        Map<String, String> view = new LinkedHashMap<>();
        view.put("user", account.id().toString());
        view.put("status", account.enabled() ? "enabled" : "disabled");
        view.put("created", account.createdAt().toString());
        return view;
    }

    private static UUID uuid(String user) {
        return KeyRules.parseUuid(user).orElseThrow(() -> ElasticException.missing("no user %s", user));
    }

    private static String actor() {
        return Actor.current();
    }
}
