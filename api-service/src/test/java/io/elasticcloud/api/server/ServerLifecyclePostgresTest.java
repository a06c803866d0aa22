package io.elasticcloud.api.server;

import io.elasticcloud.api.support.OnPostgres;

/** Server lifecycles on the production database, PostgreSQL. */
@OnPostgres
class ServerLifecyclePostgresTest extends ServerLifecycleContract {
}
