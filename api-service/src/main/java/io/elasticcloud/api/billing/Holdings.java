package io.elasticcloud.api.billing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** What accounts hold of everything: the sum over every {@link HeldResources} bean (read by billing and by {@code quota.Quotas}). */
@Component
public class Holdings {
    private final List<HeldResources> sources;

    Holdings(List<HeldResources> sources) {
        this.sources = sources;
    }

    public Usage of(UUID account) {
        Usage held = Usage.NONE;
        for (HeldResources source : sources) {
            held = held.plus(source.heldBy(account));
        }
        return held;
    }

    /** What {@code account} holds of the kinds {@code kinds} has more than nothing of; the other kinds read 0, unread. */
    public Usage of(UUID account, Usage kinds) {
        Usage held = Usage.NONE;
        for (HeldResources source : sources) {
            if (source.holdsAnyOf(kinds)) {
                held = held.plus(source.heldBy(account));
            }
        }
        return held;
    }

    Map<UUID, Usage> all() {
        Map<UUID, Usage> held = new HashMap<>();
        for (HeldResources source : sources) {
            source.heldByAccount().forEach((account, usage) -> held.merge(account, usage, Usage::plus));
        }
        return held;
    }
}
