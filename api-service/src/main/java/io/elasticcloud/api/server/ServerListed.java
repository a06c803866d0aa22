package io.elasticcloud.api.server;

import java.util.UUID;

/** A server as {@code /servers/list} shows it. */
public record ServerListed(UUID id, int cpu, int mem) {
}
