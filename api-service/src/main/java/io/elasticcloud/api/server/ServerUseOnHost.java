package io.elasticcloud.api.server;

/** What the servers on one host have been given, summed (a row of a grouped query). */
public record ServerUseOnHost(String host, long cpu, long mem) {
}
