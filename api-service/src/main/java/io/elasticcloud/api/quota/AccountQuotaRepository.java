package io.elasticcloud.api.quota;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface AccountQuotaRepository extends JpaRepository<AccountQuota, UUID> {

    /**
     * Locks the account's row until the transaction ends: the same lock billing takes, so the
     * quota check and billing's check of one command, and parallel commands of one account, on
     * any API instance, follow one another. Empty when there is no such account.
     */
    @Query(value = "SELECT 1 FROM account WHERE id = :account FOR UPDATE", nativeQuery = true)
    List<Integer> lockAccount(UUID account);
}
