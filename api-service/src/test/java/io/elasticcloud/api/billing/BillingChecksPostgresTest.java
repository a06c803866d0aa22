package io.elasticcloud.api.billing;

import io.elasticcloud.api.support.PostgresDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Billing checks on the production database, PostgreSQL (a fresh database of its own). */
class BillingChecksPostgresTest extends BillingChecksContract {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
