package io.elasticcloud.api.account;

import io.elasticcloud.protocol.ElasticException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Customers: created, disabled, enabled and given new keys by admins, every change written to the
 * audit log in the same transaction. Authentication keeps each account's key hash for a few
 * seconds ({@link #CACHE_FOR}) so that a request does not cost a database query; a change made
 * here drops the kept copy at once, so a rotated key or a disabled account is refused from the
 * next request on. (A change made through another API instance takes at most CACHE_FOR.)
 */
@Service
public class AccountService {
    private final AccountRepository accounts;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<UUID, Kept> kept = new ConcurrentHashMap<>();

    static final Duration CACHE_FOR = Duration.ofSeconds(5);

    /** What authentication needs of an account, as read at {@code at}. */
    private record Kept(String keyHash, boolean enabled, Instant at) {
    }

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
        forget(user);
        record(actor, "rotate-key", user, null);
        return new NewKey(user, key);
    }

    @Transactional
    public Account setEnabled(String actor, UUID user, boolean enabled) {
        Account account = existing(user);
        if (account.enabled() != enabled) {
            account.enabled(enabled);
            forget(user);
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

    /** Are this UUID and key those of an enabled account? */
    public boolean authenticate(UUID user, String key) {
        Instant now = clock.instant();
        Kept account = kept.get(user);
        if (account == null || account.at().plus(CACHE_FOR).isBefore(now)) {
            account = accounts.findById(user).map(a -> new Kept(a.keyHash(), a.enabled(), now)).orElse(null);
            if (account == null) {
                return false;
            }
            kept.put(user, account);
        }
        return account.enabled() && ApiKeys.matches(key, account.keyHash());
    }

    /**
     * Drops the kept copy now and again after the commit, so that an authentication reading the
     * row while this transaction runs cannot keep the old key alive.
     */
    private void forget(UUID user) {
        kept.remove(user);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    kept.remove(user);
                }
            });
        }
    }

    /**
     * Records a change made to an account by another feature (billing) in the audit log, in the
     * caller's transaction; {@code missing} if there is no such account.
     */
    @Transactional
    public void audit(String actor, String action, UUID user, String detail) {
        existing(user);
        record(actor, action, user, detail == null || detail.length() <= 256 ? detail : detail.substring(0, 256));
    }

    private Account existing(UUID user) {
        return accounts.findById(user).orElseThrow(() -> ElasticException.missing("no user %s", user));
    }

    private void record(String actor, String action, UUID account, String detail) {
        audit.save(new AuditEntry(clock.instant(), actor, action, account, detail));
    }
}
