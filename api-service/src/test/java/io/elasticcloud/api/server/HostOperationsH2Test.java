package io.elasticcloud.api.server;

/** Hosts, storage nodes, health and maintenance on the single-host default database, H2. */
class HostOperationsH2Test extends HostOperationsContract {
}
