package io.elasticcloud.api.drive;

/** The drive totals on the single-host default database, H2. */
class DriveTotalsH2Test extends DriveTotalsContract {
}
