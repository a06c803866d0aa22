package io.elasticcloud.api.billing;

import io.elasticcloud.api.support.OnPostgres;

/** Billing checks on the production database, PostgreSQL. */
@OnPostgres
class BillingChecksPostgresTest extends BillingChecksContract {
}
