package io.elasticcloud.api.server;

import java.time.Instant;
import java.util.UUID;

/** A server on a host or dead, and when the start it is in began (a row of a projection). */
public record HeldStart(UUID id, Instant startedAt) {
}
