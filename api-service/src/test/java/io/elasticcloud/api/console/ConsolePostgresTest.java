package io.elasticcloud.api.console;

import io.elasticcloud.api.support.OnPostgres;

/** The browser console on the production database, PostgreSQL (its tokens' table and queries). */
@OnPostgres
class ConsolePostgresTest extends ConsoleContract {
}
