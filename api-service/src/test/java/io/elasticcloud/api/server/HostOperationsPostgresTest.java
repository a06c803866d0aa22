package io.elasticcloud.api.server;

import io.elasticcloud.api.support.PostgresDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Hosts, storage nodes, health and maintenance on the production database, PostgreSQL. */
class HostOperationsPostgresTest extends HostOperationsContract {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
