package io.elasticcloud.api.account;

import java.util.List;
import org.springframework.data.domain.Pageable;
import java.util.UUID;
import org.springframework.data.repository.Repository;

/**
 * The audit log of accounts and hosts. Deliberately a bare {@link Repository} with only an insert and reads:
 * nothing in the service can update or delete an entry.
 */
public interface AuditLog extends Repository<AuditEntry, Long> {

    AuditEntry save(AuditEntry entry);

    List<AuditEntry> findAllByOrderByIdAsc(Pageable page);

    List<AuditEntry> findByAccountOrderByIdAsc(UUID account);

    List<AuditEntry> findByHostOrderByIdAsc(String host);
}
