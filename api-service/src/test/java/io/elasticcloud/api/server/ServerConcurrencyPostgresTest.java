package io.elasticcloud.api.server;

import io.elasticcloud.api.support.OnPostgres;

/** What servers do in parallel, on the production database, PostgreSQL. */
@OnPostgres
class ServerConcurrencyPostgresTest extends ServerConcurrencyContract {
}
