package io.elasticcloud.api.resource;

/** Parallel allocation on the single-host default database, H2. */
class AddressConcurrencyH2Test extends AddressConcurrencyContract {
}
