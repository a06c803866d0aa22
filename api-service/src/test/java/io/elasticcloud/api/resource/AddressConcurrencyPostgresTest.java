package io.elasticcloud.api.resource;

import io.elasticcloud.api.support.OnPostgres;

/** Parallel allocation on the production database, PostgreSQL, as several API services would share it. */
@OnPostgres
class AddressConcurrencyPostgresTest extends AddressConcurrencyContract {
}
