package io.elasticcloud.api.billing;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface BillingAccountRepository extends JpaRepository<BillingAccount, UUID> {

    /**
     * Locks the account's row until the transaction ends: every billing check and every change of
     * one account's balance takes this lock first, so they follow one another, across API
     * instances too. The account row (not {@code billing_account}) because it always exists: a
     * first check and a first credit never race to insert the row they would lock.
     */
    @Query(value = "SELECT 1 FROM account WHERE id = :account FOR UPDATE", nativeQuery = true)
    List<Integer> lockAccount(UUID account);
}
