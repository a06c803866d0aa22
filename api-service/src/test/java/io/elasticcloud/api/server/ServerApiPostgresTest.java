package io.elasticcloud.api.server;

import io.elasticcloud.api.support.OnPostgres;

/** The server API on the production database, PostgreSQL. */
@OnPostgres
class ServerApiPostgresTest extends ServerApiContract {
}
