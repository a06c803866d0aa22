package io.elasticcloud.api.account;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface AccountRepository extends JpaRepository<Account, UUID> {

    /** A page of every account, oldest first. */
    List<Account> findAllByOrderByCreatedAtAscIdAsc(Pageable page);

    /** What authentication needs of an account, and nothing else: one small row or none. */
    @Query("select new io.elasticcloud.api.account.AccountCredentials(a.keyHash, a.enabled)"
            + " from Account a where a.id = :id")
    Optional<AccountCredentials> findCredentials(UUID id);
}
