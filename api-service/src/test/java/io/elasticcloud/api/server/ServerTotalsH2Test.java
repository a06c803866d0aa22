package io.elasticcloud.api.server;

/** The server totals on the single-host default database, H2. */
class ServerTotalsH2Test extends ServerTotalsContract {
}
