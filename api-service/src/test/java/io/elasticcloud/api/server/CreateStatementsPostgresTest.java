package io.elasticcloud.api.server;

import io.elasticcloud.api.support.OnPostgres;

/** A create's statements on the production database, PostgreSQL. */
@OnPostgres
class CreateStatementsPostgresTest extends CreateStatementsContract {
}
