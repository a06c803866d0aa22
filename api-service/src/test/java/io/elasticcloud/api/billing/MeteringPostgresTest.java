package io.elasticcloud.api.billing;

import io.elasticcloud.api.support.PostgresDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Metering on PostgreSQL, where several API instances share one database. */
class MeteringPostgresTest extends MeteringContract {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
