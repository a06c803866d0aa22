package io.elasticcloud.api.quota;

import io.elasticcloud.api.account.AccountService;
import io.elasticcloud.api.billing.Holdings;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.ErrorType;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-customer limits: the check before every command that adds to what an account holds (the
 * same commands billing checks, with billing on or off), and the admins' overrides.
 *
 * <p>What an account holds is counted in one place: billing's {@link Holdings} (disk, cpu, mem,
 * IPs, VLANs, from the features' {@code HeldResources} beans) plus the {@link CountedResources}
 * beans (drives, servers). {@link #check} locks the account's row in the caller's transaction,
 * which then records the new holding, so parallel commands of one account are checked one after
 * the other, each seeing what the one before it committed: they cannot together overshoot.
 */
@Service
public class Quotas {
    private final QuotaProperties properties;
    private final AccountQuotaRepository overrides;
    private final Holdings holdings;
    private final List<CountedResources> counted;
    private final AccountService accounts;
    private final Clock clock;

    public Quotas(QuotaProperties properties, AccountQuotaRepository overrides, Holdings holdings,
                  List<CountedResources> counted, AccountService accounts, Optional<Clock> clock) {
        this.properties = properties;
        this.overrides = overrides;
        this.holdings = holdings;
        this.counted = counted;
        this.accounts = accounts;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * Passes when {@code account} may hold {@code added} on top of what it holds; otherwise {@code
     * 402 billing} naming the limit. Only the amounts {@code added} raises are checked: an account
     * over a limit lowered since can still do everything that adds nothing of it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void check(UUID account, Amounts added) {
        if (added.equals(Amounts.NONE)) {
            return;
        }
        if (overrides.lockAccount(account).isEmpty()) {
            throw ElasticException.missing("no user %s", account);
        }
        long[] adds = added.values();
        long[] held = heldOf(account, added).values();
        long[] limit = limits(account).values();
        for (int i = 0; i < adds.length; i++) {
            if (adds[i] > 0 && held[i] + adds[i] > limit[i]) {
                throw new ElasticException(ErrorType.BILLING, String.format(
                        "account limit for %s is %d%s: %d held, %d more asked; the operator can raise it",
                        Amounts.NAMES[i], limit[i], unit(i), held[i], adds[i]));
            }
        }
    }

    /** What the account holds now, in the quotas' units. */
    public Amounts held(UUID account) {
        Amounts held = Amounts.of(holdings.of(account));
        for (CountedResources source : counted) {
            held = held.plus(source.countedFor(account));
        }
        return held;
    }

    /**
     * What the account holds of the kinds {@code added} raises; the others read 0, unread. A start
     * (cpu and mem), checked under the host placement lock, reads only what the servers hold.
     */
    private Amounts heldOf(UUID account, Amounts added) {
        Amounts held = Amounts.of(holdings.of(account, added.usage()));
        for (CountedResources source : counted) {
            if (source.countsAnyOf(added)) {
                held = held.plus(source.countedFor(account));
            }
        }
        return held;
    }

    /** The account's limits: its override where the admin set one, else the configured default. */
    public Amounts limits(UUID account) {
        return overrides.findById(account).map(o -> o.over(properties.limits())).orElse(properties.limits());
    }

    /** For admins: limits, use and the override of one account. */
    @Transactional(readOnly = true)
    public Map<String, Object> view(UUID account) {
        accounts.get(account);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("user", account.toString());
        view.put("limits", limits(account).asMap());
        view.put("used", held(account).asMap());
        Map<String, Long> own = new LinkedHashMap<>();
        Optional<AccountQuota> override = overrides.findById(account);
        override.ifPresent(o -> {
            Long[] values = o.limits();
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    own.put(Amounts.NAMES[i], values[i]);
                }
            }
        });
        view.put("override", own);
        override.ifPresent(o -> {
            view.put("updated", o.updatedAt().toString());
            view.put("updated-by", o.updatedBy());
        });
        return view;
    }

    /** The configured defaults. */
    public Amounts defaults() {
        return properties.limits();
    }

    /**
     * Replaces the account's override with {@code limits} (in {@link Amounts#NAMES} order; null:
     * the default), audited. Lowering a limit below what is held takes nothing away.
     */
    @Transactional
    public void override(String actor, UUID account, Long[] limits) {
        accounts.get(account);
        StringBuilder detail = new StringBuilder();
        for (int i = 0; i < limits.length; i++) {
            if (limits[i] != null) {
                if (limits[i] < 0) {
                    throw ElasticException.usage("%s cannot be negative", Amounts.NAMES[i]);
                }
                detail.append(detail.isEmpty() ? "" : ", ").append(Amounts.NAMES[i]).append(' ').append(limits[i]);
            }
        }
        overrides.lockAccount(account);
        AccountQuota quota = overrides.findById(account).orElseGet(() -> new AccountQuota(account));
        quota.set(limits, clock.instant(), actor);
        overrides.save(quota);
        accounts.audit(actor, "quota", account, detail.isEmpty() ? "defaults" : detail.toString());
    }

    private static String unit(int i) {
        return switch (Amounts.NAMES[i]) {
            case "disk" -> " bytes";
            case "cpu" -> " MHz";
            case "mem" -> " MB";
            default -> "";
        };
    }
}
