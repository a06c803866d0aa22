package io.elasticcloud.api.quota;

import io.elasticcloud.api.support.OnPostgres;

/** Quotas on the production database, PostgreSQL. */
@OnPostgres
class QuotaPostgresTest extends QuotaContract {
}
