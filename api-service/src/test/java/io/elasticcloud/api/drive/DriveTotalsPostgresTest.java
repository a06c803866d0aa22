package io.elasticcloud.api.drive;

import io.elasticcloud.api.support.OnPostgres;

/** The drive totals on the production database, PostgreSQL. */
@OnPostgres
class DriveTotalsPostgresTest extends DriveTotalsContract {
}
