package io.elasticcloud.api.server;

import io.elasticcloud.api.support.OnPostgres;

/** Hosts, storage nodes, health and maintenance on the production database, PostgreSQL. */
@OnPostgres
class HostOperationsPostgresTest extends HostOperationsContract {
}
