package io.elasticcloud.api.billing;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * An account's balance: the sum of its ledger entries, kept beside them so that a check reads one
 * row. Changed only together with a new {@link LedgerEntry}, while the account's row is locked.
 */
@Entity
@Table(name = "billing_account")
class BillingAccount {
    @Id
    @Column(name = "account_id")
    private UUID account;
    @Column(nullable = false, precision = 24, scale = PriceList.SCALE)
    private BigDecimal balance;

    protected BillingAccount() {
    }

    BillingAccount(UUID account) {
        this.account = account;
        this.balance = BigDecimal.ZERO.setScale(PriceList.SCALE);
    }

    UUID account() {
        return account;
    }

    BigDecimal balance() {
        return balance;
    }

    /** Adds {@code amount} (negative for a charge) and answers the new balance. */
    BigDecimal add(BigDecimal amount) {
        balance = balance.add(amount).setScale(PriceList.SCALE);
        return balance;
    }
}
