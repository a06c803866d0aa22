package io.elasticcloud.api.resource;

import io.elasticcloud.api.support.OnPostgres;

/** The resources API on the production database, PostgreSQL. */
@OnPostgres
class ResourceApiPostgresTest extends ResourceApiContract {
}
