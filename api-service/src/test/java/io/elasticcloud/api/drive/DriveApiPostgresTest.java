package io.elasticcloud.api.drive;

import io.elasticcloud.api.support.OnPostgres;

/** The drive API on the production database, PostgreSQL. */
@OnPostgres
class DriveApiPostgresTest extends DriveApiContract {
}
