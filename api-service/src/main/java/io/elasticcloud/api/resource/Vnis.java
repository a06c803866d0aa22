package io.elasticcloud.api.resource;

import io.elasticcloud.protocol.ElasticException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * VXLAN identifiers for VLANs, 1 .. {@code elastic.network.vni-max}. A never-used VNI is taken
 * first (one above the highest ever handed out); once none is left, a destroyed VLAN's VNI comes
 * back, the longest released first, but only after {@code elastic.network.vni-quarantine}: a host
 * cut off while it still ran a guest of the old VLAN (its server destroyed meanwhile) removes that
 * guest when it reports again, and until then the old owner's guest must not share a bridge with
 * the new owner's. Runs in the caller's transaction; two callers taking the same VNI cannot both
 * commit (the unique VNI of {@code vlan}, the delete of its {@code vni_released} row), and the
 * loser tries again.
 */
@Component
class Vnis {
    /** The largest VNI there is: 24 bits. */
    static final int MAX = 16_777_215;

    private final VlanRepository vlans;
    private final ReleasedVniRepository released;
    private final int max;
    private final Duration quarantine;
    private final Clock clock;

    Vnis(VlanRepository vlans, ReleasedVniRepository released, NetworkProperties properties, Optional<Clock> clock) {
        this.vlans = vlans;
        this.released = released;
        this.max = properties.vniMax();
        this.quarantine = properties.vniQuarantine();
        this.clock = clock.orElse(Clock.systemUTC());
        if (max < 1 || max > MAX) {
            throw new IllegalArgumentException("elastic.network.vni-max must be 1.." + MAX + ", not " + max);
        }
        if (quarantine.isNegative()) {
            throw new IllegalArgumentException("elastic.network.vni-quarantine cannot be negative");
        }
    }

    /** A free VNI, or {@code 507 full} when every VNI is held or still in quarantine. */
    @Transactional(propagation = Propagation.MANDATORY)
    int take() {
        long fresh = (long) Math.max(vlans.highestVni(), released.highest()) + 1;
        if (fresh <= max) {
            return (int) fresh;
        }
        for (int vni : released.releasedBefore(clock.instant().minus(quarantine), PageRequest.of(0, 16))) {
            if (released.take(vni) == 1) {
                return vni;
            }
        }
        throw ElasticException.full("no VLAN is free in the cloud now; try again later");
    }

    /** The VNI of a VLAN being destroyed, free again after its quarantine. */
    @Transactional(propagation = Propagation.MANDATORY)
    void release(int vni) {
        released.save(new ReleasedVni(vni, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
    }
}
