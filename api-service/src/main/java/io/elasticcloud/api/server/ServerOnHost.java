package io.elasticcloud.api.server;

import java.util.UUID;

/** A server on a host ({@link ServerStatus#ON_HOST}), and which (a row of a projection). */
public record ServerOnHost(UUID id, String host) {
}
