package io.elasticcloud.api.billing;

import jakarta.persistence.LockModeType;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

interface MeterMarks extends Repository<MeterMark, Integer> {

    /** The watermark, locked until the transaction ends: one instance meters an interval at a time. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select m from MeterMark m where m.id = " + MeterMark.ID)
    MeterMark lock();

    @Query("select m from MeterMark m where m.id = " + MeterMark.ID)
    MeterMark read();
}
