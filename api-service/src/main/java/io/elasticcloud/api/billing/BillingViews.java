package io.elasticcloud.api.billing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A statement as key/value objects, the same for the customer's {@code /billing/info} (text or
 * JSON through the API codec) and the admin's {@code /actuator/billing/UUID}. Amounts are plain
 * decimal strings with {@link PriceList#SCALE} places, never binary floating point.
 */
final class BillingViews {
    private BillingViews() {
    }

    /** The balance object, then one object per subscription, then one per ledger entry. */
    static List<Map<String, String>> objects(BillingService.Statement statement) {
        List<Map<String, String>> objects = new ArrayList<>();
        objects.add(balance(statement));
        statement.subscriptions().forEach(s -> objects.add(subscription(s)));
        statement.ledger().forEach(e -> objects.add(entry(e, statement.currency())));
        return objects;
    }

    static Map<String, String> balance(BillingService.Statement statement) {
        Map<String, String> view = new LinkedHashMap<>();
        view.put("type", "balance");
        view.put("user", statement.account().toString());
        view.put("billing", statement.enabled() ? "on" : "off");
        view.put("balance", statement.balance().toPlainString());
        view.put("currency", statement.currency());
        amounts(view, "held:", statement.held());
        amounts(view, "subscribed:", statement.subscribed());
        return view;
    }

    static Map<String, String> subscription(Subscription subscription) {
        Map<String, String> view = new LinkedHashMap<>();
        view.put("type", "subscription");
        view.put("subscription", subscription.id().toString());
        view.put("cpu", Long.toString(subscription.cpuMhz()));
        view.put("mem", Long.toString(subscription.memMb()));
        view.put("disk", Long.toString(subscription.diskGb()));
        view.put("ip", Long.toString(subscription.ips()));
        view.put("vlan", Long.toString(subscription.vlans()));
        view.put("start", subscription.start().toString());
        view.put("end", subscription.end().toString());
        return view;
    }

    static Map<String, String> entry(LedgerEntry entry, String currency) {
        Map<String, String> view = new LinkedHashMap<>();
        view.put("type", "ledger");
        view.put("entry", entry.id().toString());
        view.put("at", entry.at().toString());
        view.put("kind", entry.kind());
        view.put("amount", entry.amount().toPlainString());
        view.put("balance", entry.balance().toPlainString());
        view.put("currency", currency);
        if (entry.periodStart() != null) {
            view.put("from", entry.periodStart().toString());
            view.put("to", entry.periodEnd().toString());
        }
        view.put("description", entry.description());
        return view;
    }

    /** cpu in MHz, mem in MB, disk in bytes (as drive sizes), ip and vlan counts. */
    private static void amounts(Map<String, String> view, String prefix, Usage usage) {
        view.put(prefix + "cpu", Long.toString(usage.cpuMhz()));
        view.put(prefix + "mem", Long.toString(usage.memMb()));
        view.put(prefix + "disk", Long.toString(usage.diskBytes()));
        view.put(prefix + "ip", Long.toString(usage.ips()));
        view.put(prefix + "vlan", Long.toString(usage.vlans()));
    }
}
