package io.elasticcloud.api.drive;

/** The drive API on the single-host default database, H2. */
class DriveApiH2Test extends DriveApiContract {
}
