package io.elasticcloud.api.server;

import io.elasticcloud.api.support.PostgresDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Echoed temporary addresses on the production database, PostgreSQL (a fresh database of its own). */
class ServerAddressEchoPostgresTest extends ServerAddressEchoContract {
    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        PostgresDatabase.register(registry);
    }
}
