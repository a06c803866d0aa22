package io.elasticcloud.api.drive;

import io.elasticcloud.api.support.PostgresDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The drive API on the production database, PostgreSQL (a fresh database of its own). */
class DriveApiPostgresTest extends DriveApiContract {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
