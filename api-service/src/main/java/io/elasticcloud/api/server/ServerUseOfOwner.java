package io.elasticcloud.api.server;

import java.util.UUID;

/** What one owner's servers have been given, summed (a row of a grouped query). */
public record ServerUseOfOwner(UUID owner, long cpu, long mem) {
}
