package io.elasticcloud.api.server;

import io.elasticcloud.api.billing.BillingService;
import io.elasticcloud.api.billing.Usage;
import io.elasticcloud.api.quota.Amounts;
import io.elasticcloud.api.quota.Quotas;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Whether the user may have what a server action adds: quotas first, then billing (which locks
 * the account's row until the caller's transaction ends). {@code quota} or {@code billing} if not.
 */
@Component
class ServerAllowance {
    private final Quotas quotas;
    private final BillingService billing;

    ServerAllowance(Quotas quotas, BillingService billing) {
        this.quotas = quotas;
        this.billing = billing;
    }

    /** A new server, billed as if it ran with {@code cpu} and {@code mem}. */
    void newServer(UUID user, long cpu, long mem) {
        quotas.check(user, Amounts.newServer(cpu, mem));
        billing.check(user, Usage.server(cpu, mem));
    }

    /**
     * A new server that its create starts at once: only one server more is checked here, since the
     * start checks what it runs with ({@link #running}) before it runs, and the create removes the
     * server when its start is refused.
     */
    void newServerStarting(UUID user) {
        quotas.check(user, Amounts.newServer(0, 0));
    }

    /** {@code cpu} core MHz and {@code mem} MB more running. */
    void running(UUID user, long cpu, long mem) {
        quotas.check(user, Amounts.running(cpu, mem));
        billing.check(user, Usage.server(cpu, mem));
    }
}
