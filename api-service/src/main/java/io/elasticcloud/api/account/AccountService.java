package io.elasticcloud.api.account;

import io.elasticcloud.api.common.AdminPage;
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
 *
 * <p>Only a key that matches is answered from memory; every failure asks the database (see
 * {@link #authenticate}), so failures cost the same whether the account exists or not, and a key
 * rotated through another instance works at once. Failures per source address are limited before
 * they get here. At most {@link #KEEP_AT_MOST} accounts are kept; when full, expired ones are
 * dropped, and if that is not enough nothing new is kept.
 */
@Service
public class AccountService {
    private final AccountRepository accounts;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<UUID, Kept> kept = new ConcurrentHashMap<>();

    static final Duration CACHE_FOR = Duration.ofSeconds(5);
    static final int KEEP_AT_MOST = 10_000;
    /** An account nobody has: its key hash is not even hex, so no key matches it. */
    private static final Kept NOBODY_KEPT = new Kept("-".repeat(64), false, Instant.EPOCH);

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
    /** A page of every account, oldest first. */
    public List<Account> list(AdminPage page) {
        return accounts.findAllByOrderByCreatedAtAscIdAsc(page.pageable());
    }

    @Transactional(readOnly = true)
    public Account get(UUID user) {
        return existing(user);
    }

    /**
     * Are this UUID and key those of an enabled account? A key that matches the kept copy is let in
     * without a query. Anything else (an unknown user, a wrong key, a copy that may be stale) is
     * decided by the database, the same way for all: one query and one hash, so a wrong key and an
     * unknown user take the same time and timing does not tell whether an account exists.
     */
    public boolean authenticate(UUID user, String key) {
        Instant now = clock.instant();
        Kept account = kept.get(user);
        if (account != null && !account.at().plus(CACHE_FOR).isBefore(now) && matches(account, key)) {
            return true;
        }
        if (account == null) {
            matches(NOBODY_KEPT, key); // the hash the other path made, for the same time
        }
        Kept fresh = accounts.findCredentials(user).map(c -> new Kept(c.keyHash(), c.enabled(), now)).orElse(null);
        if (fresh == null) {
            kept.remove(user);
            return matches(NOBODY_KEPT, key);
        }
        keep(user, fresh, now);
        return matches(fresh, key);
    }

    /**
     * The same check against what is in memory only, without a database query: for a source
     * address held back for failing too often. An account not in memory is refused.
     */
    public boolean authenticateKept(UUID user, String key) {
        Kept account = kept.get(user);
        if (account == null || account.at().plus(CACHE_FOR).isBefore(clock.instant())) {
            account = NOBODY_KEPT;
        }
        return matches(account, key);
    }

    /** Hashes the key whatever the account: the time taken does not depend on what is kept. */
    private static boolean matches(Kept account, String key) {
        boolean keyMatches = ApiKeys.matches(key, account.keyHash());
        return keyMatches & account.enabled();
    }

    private void keep(UUID user, Kept account, Instant now) {
        if (kept.size() >= KEEP_AT_MOST && !kept.containsKey(user)) {
            kept.values().removeIf(k -> k.at().plus(CACHE_FOR).isBefore(now));
            if (kept.size() >= KEEP_AT_MOST) {
                return;
            }
        }
        kept.put(user, account);
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
