package io.elasticcloud.protocol;

import io.elasticcloud.protocol.storage.NodeStatus;
import java.time.Instant;

/** Every event published on the bus: facts that nodes report, for whoever listens. */
public final class Events {
    private Events() {
    }

    public sealed interface Event permits StorageNodeHeartbeat, ImagingProgress, ImagingFinished {
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
}
