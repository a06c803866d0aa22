package io.elasticcloud.api.server;

import java.time.Instant;
import java.util.UUID;

/** A server placed on a host, as a heartbeat of that host is compared with it (a row of a projection). */
public record HostedServer(UUID id, ServerStatus status, Instant startedAt) {
}
