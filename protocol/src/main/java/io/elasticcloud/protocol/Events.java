package io.elasticcloud.protocol;

import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.agent.HostInfo;
import io.elasticcloud.protocol.agent.StateReason;
import io.elasticcloud.protocol.storage.NodeStatus;
import java.time.Instant;
import java.util.List;

/** Every event published on the bus: facts that nodes report, for whoever listens. */
public final class Events {
    private Events() {
    }

    public sealed interface Event permits StorageNodeHeartbeat, ImagingProgress, ImagingFinished, AgentHeartbeat, GuestStateChanged {
    }

    /** A storage node is alive, with its capacity and use; sent every few seconds. */
    public record StorageNodeHeartbeat(NodeStatus status, Instant at) implements Event {
    }

    /** Imaging {@code job} into {@code target} has copied {@code percent} of its source. */
    public record ImagingProgress(String node, String job, String target, int percent) implements Event {
    }

    /**
     * Imaging {@code job} has ended: successfully when {@code error} is null, otherwise with that
     * error type and a description ({@code full} when the data did not fit the target).
     */
    public record ImagingFinished(String node, String job, String target, ErrorType error, String message)
            implements Event {
    }

    /**
     * A node agent is alive, with its host's capacity and the server UUIDs of every guest it runs
     * (adopted ones included); sent every few seconds. A server the database thinks active on this
     * node but missing here is no longer running.
     */
    public record AgentHeartbeat(HostInfo host, List<String> servers, Instant at) implements Event {
    }

    /**
     * A guest on {@code node} changed state: started, powered itself off, was stopped by the agent,
     * crashed, or was destroyed behind the agent's back.
     */
    public record GuestStateChanged(String node, String server, GuestState state, StateReason reason, Instant at)
            implements Event {
    }
}
