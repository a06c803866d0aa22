package io.elasticcloud.api.account;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface AccountRepository extends JpaRepository<Account, UUID> {

    /** What authentication needs of an account, and nothing else: one small row or none. */
    @Query("select new io.elasticcloud.api.account.AccountCredentials(a.keyHash, a.enabled)"
            + " from Account a where a.id = :id")
    Optional<AccountCredentials> findCredentials(UUID id);
}
