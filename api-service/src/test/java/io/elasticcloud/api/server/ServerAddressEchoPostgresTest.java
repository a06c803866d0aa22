package io.elasticcloud.api.server;

import io.elasticcloud.api.support.OnPostgres;

/** Echoed temporary addresses on the production database, PostgreSQL. */
@OnPostgres
class ServerAddressEchoPostgresTest extends ServerAddressEchoContract {
}
