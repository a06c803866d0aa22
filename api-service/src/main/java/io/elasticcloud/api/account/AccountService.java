package io.elasticcloud.api.account;

import io.elasticcloud.protocol.ElasticException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Customers: created, disabled, enabled and given new keys by admins, every change written to the
 * audit log in the same transaction. A key is checked against the database on every request, so
 * a rotated key or a disabled account is refused from the next request on.
 */
@Service
public class AccountService {
    private final AccountRepository accounts;
    private final AuditLog audit;
    private final Clock clock;

    public AccountService(AccountRepository accounts, AuditLog audit, Optional<Clock> clock) {
        this.accounts = accounts;
        this.audit = audit;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** The customer's UUID and a key; the key is shown here once and only its hash is kept. */
    public record NewKey(UUID user, String key) {
    }

    @Transactional
    public NewKey create(String actor) {
        String key = ApiKeys.newKey();
        Account account = new Account(UUID.randomUUID(), ApiKeys.hash(key), clock.instant());
        accounts.save(account);
        record(actor, "create", account.id(), null);
        return new NewKey(account.id(), key);
    }

    @Transactional
    public NewKey rotateKey(String actor, UUID user) {
        Account account = existing(user);
        String key = ApiKeys.newKey();
        account.keyHash(ApiKeys.hash(key));
        record(actor, "rotate-key", user, null);
        return new NewKey(user, key);
    }

    @Transactional
    public Account setEnabled(String actor, UUID user, boolean enabled) {
        Account account = existing(user);
        if (account.enabled() != enabled) {
            account.enabled(enabled);
            record(actor, enabled ? "enable" : "disable", user, null);
        }
        return account;
    }

    @Transactional(readOnly = true)
    public List<Account> list() {
        return accounts.findAll(org.springframework.data.domain.Sort.by("createdAt", "id"));
    }

    @Transactional(readOnly = true)
    public Account get(UUID user) {
        return existing(user);
    }

    /** The enabled account with this UUID and key, if both are right. */
    @Transactional(readOnly = true)
    public Optional<Account> authenticate(UUID user, String key) {
        return accounts.findById(user).filter(Account::enabled).filter(a -> ApiKeys.matches(key, a.keyHash()));
    }

    private Account existing(UUID user) {
        return accounts.findById(user).orElseThrow(() -> ElasticException.missing("no user %s", user));
    }

    private void record(String actor, String action, UUID account, String detail) {
        audit.save(new AuditEntry(clock.instant(), actor, action, account, detail));
    }
}
