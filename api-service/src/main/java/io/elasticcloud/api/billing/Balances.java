package io.elasticcloud.api.billing;

import io.elasticcloud.protocol.ElasticException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Balances and the ledger, inside the caller's transaction. A balance changes only by a new ledger
 * entry, and only while the account's row is locked ({@link #lock}).
 */
@Component
class Balances {
    private final BillingAccountRepository accounts;
    private final Ledger ledger;

    Balances(BillingAccountRepository accounts, Ledger ledger) {
        this.accounts = accounts;
        this.ledger = ledger;
    }

    /** Locks the account until the transaction ends; {@code missing} if there is no such account. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(UUID account) {
        if (!tryLock(account)) {
            throw ElasticException.missing("no user %s", account);
        }
    }

    /** As {@link #lock}, answering false (and leaving the transaction usable) when there is no such account. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean tryLock(UUID account) {
        return !accounts.lockAccount(account).isEmpty();
    }

    BigDecimal balance(UUID account) {
        return accounts.findById(account).map(BillingAccount::balance)
                .orElse(BigDecimal.ZERO.setScale(PriceList.SCALE));
    }

    /** Adds the posting's amount to the (locked) account's balance and records it in the ledger. */
    @Transactional(propagation = Propagation.MANDATORY)
    public LedgerEntry post(UUID account, Instant at, LedgerEntry.Posting posting) {
        BillingAccount row = accounts.findById(account).orElseGet(() -> new BillingAccount(account));
        BigDecimal balance = row.add(posting.amount());
        accounts.save(row);
        return ledger.save(new LedgerEntry(account, at, posting, balance));
    }
}
