package io.elasticcloud.api.server;

/** Echoed temporary addresses on H2. */
class ServerAddressEchoH2Test extends ServerAddressEchoContract {
}
