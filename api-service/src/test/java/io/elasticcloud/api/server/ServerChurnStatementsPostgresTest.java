package io.elasticcloud.api.server;

import io.elasticcloud.api.support.OnPostgres;

/** A create's and a destroy's statements on the production database, PostgreSQL. */
@OnPostgres
class ServerChurnStatementsPostgresTest extends ServerChurnStatementsContract {
}
