package io.elasticcloud.api.quota;

import io.elasticcloud.api.support.PostgresDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Quotas on the production database, PostgreSQL (a fresh database of its own). */
class QuotaPostgresTest extends QuotaContract {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
