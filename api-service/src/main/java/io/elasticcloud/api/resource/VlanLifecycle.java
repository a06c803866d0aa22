package io.elasticcloud.api.resource;

import io.elasticcloud.api.quota.Admission;
import io.elasticcloud.protocol.ElasticException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A VLAN's row and its VNI ({@link Vnis}) come and go together: a new VLAN takes a free VNI in the
 * transaction that records it, a destroyed one gives it back in the caller's transaction.
 */
@Component
class VlanLifecycle {
    /** Each failed attempt means a parallel create took the VNI; this only bounds a pathological loop. */
    private static final int VNI_ATTEMPTS = 100;

    private final VlanRepository vlans;
    private final Vnis vnis;
    private final Admission admission;
    private final TransactionTemplate tx;
    private final Clock clock;

    VlanLifecycle(VlanRepository vlans, Vnis vnis, Admission admission, TransactionTemplate tx, Optional<Clock> clock) {
        this.vlans = vlans;
        this.vnis = vnis;
        this.admission = admission;
        this.tx = tx;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * A new VLAN of {@code user} with a free VNI, checked ({@link Admission#newVlan}) in the
     * transaction that records it; a parallel create that took the same VNI first makes this one
     * try again in a new transaction, checked again.
     */
    Vlan create(UUID user, ResourceRequest request) {
        for (int attempt = 0; attempt < VNI_ATTEMPTS; attempt++) {
            try {
                return tx.execute(status -> {
                    admission.newVlan(user);
                    Vlan vlan = new Vlan(UUID.randomUUID(), user, vnis.take(),
                            clock.instant().truncatedTo(ChronoUnit.MILLIS));
                    vlan.apply(request);
                    return vlans.saveAndFlush(vlan);
                });
            } catch (DataIntegrityViolationException | ConcurrencyFailureException taken) {
                // another VLAN got that VNI first: read again
            }
        }
        throw ElasticException.system("no VNI could be taken after %d attempts", VNI_ATTEMPTS);
    }

    /** Deletes the VLAN and gives its VNI back (in the caller's transaction). */
    void destroy(Vlan vlan) {
        vlans.delete(vlan);
        vnis.release(vlan.vni());
    }
}
