package io.elasticcloud.api.server;

/** The listings' statements on the single-host default database, H2. */
class ListingStatementsH2Test extends ListingStatementsContract {
}
