package io.elasticcloud.api.quota;

/** Quotas on the single-host default database, H2. */
class QuotaH2Test extends QuotaContract {
}
