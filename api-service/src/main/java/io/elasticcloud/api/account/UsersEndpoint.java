package io.elasticcloud.api.account;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/** {@code POST /actuator/users}: an admin creates a customer and receives its UUID and key. */
@Component
@Endpoint(id = "users")
public class UsersEndpoint {
    private final AccountService accounts;

    public UsersEndpoint(AccountService accounts) {
        this.accounts = accounts;
    }

    @WriteOperation
    public Map<String, String> create() {
        AccountService.NewAccount created = accounts.create();
        Map<String, String> reply = new LinkedHashMap<>();
        reply.put("user", created.user().toString());
        reply.put("key", created.key());
        return reply;
    }
}
