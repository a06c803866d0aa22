package io.elasticcloud.api.resource;

import io.elasticcloud.api.support.PostgresDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The resources API on the production database, PostgreSQL (a fresh database of its own). */
class ResourceApiPostgresTest extends ResourceApiContract {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
