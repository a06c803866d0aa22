package io.elasticcloud.api.server;

/** What a set of servers has been given: core MHz and MB, summed. */
public record ServerUse(long cpu, long mem) {
}
