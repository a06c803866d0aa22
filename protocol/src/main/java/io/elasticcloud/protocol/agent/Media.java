package io.elasticcloud.protocol.agent;

/** What kind of drive the guest sees (API {@code …:media}). */
public enum Media {
    /** A hard disk, read-write. */
    DISK,
    /** A read-only optical drive. */
    CDROM
}
