package io.elasticcloud.api.billing;

import io.elasticcloud.api.support.OnPostgres;

/** Metering on PostgreSQL, where several API instances share one database. */
@OnPostgres
class MeteringPostgresTest extends MeteringContract {
}
