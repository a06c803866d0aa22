package io.elasticcloud.api.resource;

/** The resources API on the single-host default database, H2. */
class ResourceApiH2Test extends ResourceApiContract {
}
