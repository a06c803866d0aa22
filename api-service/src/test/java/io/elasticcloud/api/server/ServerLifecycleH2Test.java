package io.elasticcloud.api.server;

/** Server lifecycles on the single-host default database, H2. */
class ServerLifecycleH2Test extends ServerLifecycleContract {
}
