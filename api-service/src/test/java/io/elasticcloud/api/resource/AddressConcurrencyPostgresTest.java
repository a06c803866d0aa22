package io.elasticcloud.api.resource;

import io.elasticcloud.api.support.PostgresDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Parallel allocation on the production database, PostgreSQL, as several API services would share it. */
class AddressConcurrencyPostgresTest extends AddressConcurrencyContract {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
