package io.elasticcloud.api.server;

/** A create's statements on H2 (the fast tests' database). */
class CreateStatementsH2Test extends CreateStatementsContract {
}
