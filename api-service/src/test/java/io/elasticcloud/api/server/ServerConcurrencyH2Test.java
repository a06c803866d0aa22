package io.elasticcloud.api.server;

/** What servers do in parallel, on the single-host default database, H2. */
class ServerConcurrencyH2Test extends ServerConcurrencyContract {
}
