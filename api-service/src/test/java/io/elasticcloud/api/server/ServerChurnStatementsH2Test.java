package io.elasticcloud.api.server;

/** A create's and a destroy's statements on H2 (the fast tests' database). */
class ServerChurnStatementsH2Test extends ServerChurnStatementsContract {
}
