package io.elasticcloud.api.billing;

/** Billing checks on the single-host default database, H2. */
class BillingChecksH2Test extends BillingChecksContract {
}
