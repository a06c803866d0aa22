package io.elasticcloud.api.server;

import io.elasticcloud.api.support.OnPostgres;

/** The server totals on the production database, PostgreSQL. */
@OnPostgres
class ServerTotalsPostgresTest extends ServerTotalsContract {
}
