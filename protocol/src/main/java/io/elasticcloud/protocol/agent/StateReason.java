package io.elasticcloud.protocol.agent;

/** Why a guest's state changed. */
public enum StateReason {
    /** It was started (by this agent). */
    STARTED,
    /** The guest powered itself off (after an ACPI shutdown or from inside). */
    GUEST_SHUTDOWN,
    /** This agent cut its power (stop or destroy). */
    POWER_CUT,
    /** It was killed by someone other than this agent (an operator, the OOM killer, a qemu crash). */
    DESTROYED_BEHIND_OUR_BACK,
    /** The guest crashed (a guest panic) or its hypervisor process failed. */
    CRASHED,
    /** The hypervisor suspended it after an I/O error on one of its drives. */
    IO_ERROR,
    /** Suspended or resumed for another reason. */
    PAUSED,
    RESUMED,
    /** Found running when the agent started, and adopted. */
    ADOPTED,
    /** Anything else the hypervisor reported. */
    OTHER
}
