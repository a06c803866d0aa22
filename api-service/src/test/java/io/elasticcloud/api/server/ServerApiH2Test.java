package io.elasticcloud.api.server;

/** The server API on the single-host default database, H2. */
class ServerApiH2Test extends ServerApiContract {
}
