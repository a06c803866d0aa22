package io.elasticcloud.api.account;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates customers and checks their keys. */
@Service
public class AccountService {
    private final AccountRepository accounts;
    private final Clock clock;

    public AccountService(AccountRepository accounts, Optional<Clock> clock) {
        this.accounts = accounts;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** The new customer's UUID and key; the key is shown here once and only its hash is kept. */
    public record NewAccount(UUID user, String key) {
    }

    @Transactional
    public NewAccount create() {
        String key = ApiKeys.newKey();
        Account account = new Account(UUID.randomUUID(), ApiKeys.hash(key), clock.instant());
        accounts.save(account);
        return new NewAccount(account.id(), key);
    }

    /** The enabled account with this UUID and key, if both are right. */
    @Transactional(readOnly = true)
    public Optional<Account> authenticate(UUID user, String key) {
        return accounts.findById(user).filter(Account::enabled).filter(a -> ApiKeys.matches(key, a.keyHash()));
    }
}
