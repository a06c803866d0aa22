package io.elasticcloud.protocol.storage;

/** What imaging does to the source's bytes on their way into the target. */
public enum Conversion {
    /** Copy as they are. */
    NONE,
    /** Compress the source's bytes with gzip into the target. */
    GZIP,
    /** Decompress the source (a gzip stream) into the target. */
    GUNZIP
}
