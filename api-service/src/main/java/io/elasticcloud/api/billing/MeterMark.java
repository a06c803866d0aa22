package io.elasticcloud.api.billing;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** How far metering has charged (the one row of {@code billing_meter}); null before the first run. */
@Entity
@Table(name = "billing_meter")
class MeterMark {
    static final int ID = 1;

    @Id
    private Integer id;
    @Column(name = "metered_until")
    private Instant until;

    protected MeterMark() {
    }

    Instant until() {
        return until;
    }

    void until(Instant until) {
        this.until = until;
    }
}
