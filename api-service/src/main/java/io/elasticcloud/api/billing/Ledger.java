package io.elasticcloud.api.billing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.repository.Repository;

/** The ledger: a bare {@link Repository} with one insert and reads, so no entry is ever changed. */
interface Ledger extends Repository<LedgerEntry, Long> {

    LedgerEntry save(LedgerEntry entry);

    List<LedgerEntry> findByAccountOrderByIdAsc(UUID account);

    List<LedgerEntry> findTop100ByAccountOrderByIdDesc(UUID account);

    boolean existsByAccountAndPeriodStart(UUID account, Instant periodStart);
}
