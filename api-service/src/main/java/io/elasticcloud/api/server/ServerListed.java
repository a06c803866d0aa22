package io.elasticcloud.api.server;

import java.time.Instant;
import java.util.UUID;

/**
 * A server as {@code /servers/list} shows it, with where it stands in the listing's order
 * ({@code createdAt}, then {@code id}) for the page after it ({@link io.elasticcloud.api.common.Pages}).
 */
public record ServerListed(UUID id, int cpu, int mem, Instant createdAt) {
}
