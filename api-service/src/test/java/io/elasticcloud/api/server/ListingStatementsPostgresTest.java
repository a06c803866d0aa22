package io.elasticcloud.api.server;

import io.elasticcloud.api.support.OnPostgres;

/** The listings' statements on the production database, PostgreSQL. */
@OnPostgres
class ListingStatementsPostgresTest extends ListingStatementsContract {
}
