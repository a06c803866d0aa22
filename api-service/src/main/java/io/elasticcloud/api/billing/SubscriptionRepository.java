package io.elasticcloud.api.billing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.Repository;

/** Subscriptions are added, never changed: an insert and reads only. */
interface SubscriptionRepository extends Repository<Subscription, UUID> {

    Subscription save(Subscription subscription);

    List<Subscription> findByAccountOrderByStartAscIdAsc(UUID account);

    /** The account's subscriptions whose period contains {@code at}. */
    @Query("select s from Subscription s where s.account = :account and s.start <= :at and s.end > :at")
    List<Subscription> activeAt(UUID account, Instant at);

    /** Every subscription whose period overlaps {@code [start, end)}. */
    @Query("select s from Subscription s where s.start < :end and s.end > :start")
    List<Subscription> overlapping(Instant start, Instant end);
}
