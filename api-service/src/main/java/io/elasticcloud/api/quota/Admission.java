package io.elasticcloud.api.quota;

import io.elasticcloud.api.billing.BillingService;
import io.elasticcloud.api.billing.Usage;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The two checks every command that adds to what an account holds passes, always together and in
 * this order: the account's quotas ({@link Quotas#check}), then billing ({@link
 * BillingService#check}). Each locks the account's row in the caller's transaction, which must
 * then record the new holding, so that parallel commands of one account are checked one after the
 * other. Quotas count in {@link Amounts} (with drives and servers), billing in {@link Usage}: each
 * method names one kind of addition and gives each check its own measure of it.
 */
@Component
public class Admission {
    private final Quotas quotas;
    private final BillingService billing;

    public Admission(Quotas quotas, BillingService billing) {
        this.quotas = quotas;
        this.billing = billing;
    }

    /** A new drive of {@code bytes}. */
    public void newDrive(UUID account, long bytes) {
        check(account, Amounts.drive(bytes), Usage.disk(bytes));
    }

    /** A drive grown by {@code bytes}. */
    public void moreDisk(UUID account, long bytes) {
        check(account, Amounts.disk(bytes), Usage.disk(bytes));
    }

    /** A new static IP. */
    public void newIp(UUID account) {
        check(account, Amounts.ip(), Usage.ips(1));
    }

    /** A new VLAN. */
    public void newVlan(UUID account) {
        check(account, Amounts.vlan(), Usage.vlans(1));
    }

    /** {@code amounts} more by the quotas' count, {@code usage} more by billing's. */
    public void check(UUID account, Amounts amounts, Usage usage) {
        quotas.check(account, amounts);
        billing.check(account, usage);
    }
}
