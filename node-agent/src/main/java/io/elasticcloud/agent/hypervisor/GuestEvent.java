package io.elasticcloud.agent.hypervisor;

import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.agent.StateReason;

/** A state change of one of the agent's guests, as the hypervisor reports it. */
public record GuestEvent(String server, GuestState state, StateReason reason) {
}
