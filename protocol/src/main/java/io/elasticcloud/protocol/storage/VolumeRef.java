package io.elasticcloud.protocol.storage;

/** Where a volume lives: the storage node (pool) that holds it, and its id there. */
public record VolumeRef(String node, String volume) {
}
