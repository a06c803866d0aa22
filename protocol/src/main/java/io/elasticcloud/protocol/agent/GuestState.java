package io.elasticcloud.protocol.agent;

/** What a guest is doing, as its host sees it. */
public enum GuestState {
    /** Its CPUs run (API {@code active}). */
    RUNNING,
    /** Its CPUs are suspended by the hypervisor, e.g. after a storage I/O error (API {@code paused}). */
    PAUSED,
    /** It was asked to power off and has not yet (still API {@code active}). */
    SHUTTING_DOWN,
    /** It no longer runs on the host (API {@code stopped}, or destroyed if not persistent). */
    STOPPED,
    /** It crashed, or the hypervisor lost it (API {@code dead}). */
    CRASHED
}
