package io.elasticcloud.api.billing;

import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ElasticException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/billing}, for admins: {@code GET} shows the price list and how far metering
 * has charged; {@code GET /actuator/billing/UUID} one account's balance, holdings, subscriptions
 * and whole ledger; {@code POST /actuator/billing/UUID} with JSON {@code {"action": "credit" |
 * "debit", "amount": "25.00", "description": "..."}} or {@code {"action": "subscribe", "cpu",
 * "mem", "disk" (GB), "ips", "vlans", "start" (default now), "end"}} changes it. Every change is
 * in the account audit log.
 */
@Component
@Endpoint(id = "billing")
public class BillingEndpoint {
    /** Amounts an admin may credit or debit at once: 16 digits before the point. */
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1e16");

    private final BillingService billing;
    private final BillingProperties properties;
    private final Metering metering;
    private final Clock clock;

    public BillingEndpoint(BillingService billing, BillingProperties properties, Metering metering,
                           @Qualifier(BillingConfiguration.CLOCK) Optional<Clock> clock) {
        this.billing = billing;
        this.properties = properties;
        this.metering = metering;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @ReadOperation
    public Map<String, Object> prices() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("enabled", properties.enabled());
        view.put("currency", properties.currency());
        view.put("cpu-mhz-hour", properties.cpuMhzHour().toPlainString());
        view.put("mem-mb-hour", properties.memMbHour().toPlainString());
        view.put("drive-gb-month", properties.driveGbMonth().toPlainString());
        view.put("ip-month", properties.ipMonth().toPlainString());
        view.put("vlan-month", properties.vlanMonth().toPlainString());
        view.put("minimum-period", properties.minimumPeriod().toString());
        view.put("metering-interval", properties.meteringInterval().toString());
        Instant until = metering.meteredUntil();
        view.put("metered-until", until == null ? null : until.toString());
        return view;
    }

    @ReadOperation
    public Map<String, Object> account(@Selector String user) {
        BillingService.Statement statement = billing.statement(uuid(user), true);
        Map<String, Object> view = new LinkedHashMap<>(BillingViews.balance(statement));
        view.remove("type");
        view.put("subscriptions", statement.subscriptions().stream().map(BillingViews::subscription).toList());
        view.put("ledger", statement.ledger().stream()
                .map(e -> BillingViews.entry(e, statement.currency())).toList());
        return view;
    }

    @WriteOperation
    public Map<String, String> change(@Selector String user, String action, @Nullable String amount,
                                      @Nullable String description, @Nullable String cpu, @Nullable String mem,
                                      @Nullable String disk, @Nullable String ips, @Nullable String vlans,
                                      @Nullable String start, @Nullable String end) {
        UUID id = uuid(user);
        return switch (action) {
            case "credit" -> BillingViews.entry(
                    billing.credit(actor(), id, amount(amount), text(description)), properties.currency());
            case "debit" -> BillingViews.entry(
                    billing.debit(actor(), id, amount(amount), text(description)), properties.currency());
            case "subscribe" -> subscribe(id, cpu, mem, disk, ips, vlans, start, end);
            default -> throw ElasticException.usage("action must be credit, debit or subscribe");
        };
    }

    private Map<String, String> subscribe(UUID id, String cpu, String mem, String disk, String ips, String vlans,
                                          String start, String end) {
        long cpuMhz = count("cpu", cpu);
        long memMb = count("mem", mem);
        long diskGb = count("disk", disk);
        long ipCount = count("ips", ips);
        long vlanCount = count("vlans", vlans);
        if (cpuMhz + memMb + diskGb + ipCount + vlanCount == 0) {
            throw ElasticException.usage("a subscription covers some cpu, mem, disk, ips or vlans");
        }
        Instant from = start == null ? clock.instant() : instant("start", start);
        if (end == null) {
            throw ElasticException.usage("end is required (an ISO-8601 instant such as 2026-12-31T00:00:00Z)");
        }
        Instant to = instant("end", end);
        if (!to.isAfter(from)) {
            throw ElasticException.usage("end must be after start");
        }
        return BillingViews.subscription(billing.subscribe(actor(), id, cpuMhz, memMb, diskGb, ipCount, vlanCount,
                from, to));
    }

    private static BigDecimal amount(String text) {
        if (text == null) {
            throw ElasticException.usage("amount is required");
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw ElasticException.usage("amount must be a decimal number, not %s", ApiText.quote(text));
        }
        if (amount.signum() <= 0 || amount.compareTo(MAX_AMOUNT) >= 0) {
            throw ElasticException.usage("amount must be above 0 and below 10^16");
        }
        if (amount.stripTrailingZeros().scale() > PriceList.SCALE) {
            throw ElasticException.usage("amount has at most %d decimal places", PriceList.SCALE);
        }
        return amount.setScale(PriceList.SCALE);
    }

    /** A count (MHz, MB, GB, IPs, VLANs) from 0 to 10^9; absent is 0. */
    private static long count(String key, String text) {
        if (text == null) {
            return 0;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value >= 0 && value <= 1_000_000_000L) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ElasticException.usage("%s must be a whole number from 0 to 10^9, not %s", key, ApiText.quote(text));
    }

    private static Instant instant(String key, String text) {
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ElasticException.usage("%s must be an ISO-8601 instant such as 2026-12-31T00:00:00Z, not %s", key,
                    ApiText.quote(text));
        }
    }

    private static String text(String description) {
        if (description == null || description.isBlank()) {
            return null;
        }
        if (description.chars().anyMatch(Character::isISOControl) || description.length() > 200) {
            throw ElasticException.usage("description is one line of at most 200 characters");
        }
        return description;
    }

    private static UUID uuid(String user) {
        return KeyRules.parseUuid(user).orElseThrow(() -> ElasticException.missing("no user %s", user));
    }

    /** Who is making the change: the admin's name as Spring Security authenticated it. */
    private static String actor() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "unknown" : authentication.getName();
    }
}
