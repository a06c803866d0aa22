package io.elasticcloud.protocol.agent;

import io.elasticcloud.protocol.Command;
import io.elasticcloud.protocol.Done;
import java.util.List;

/**
 * Every command a node agent accepts. A node agent runs the guests of one hypervisor host and is
 * addressed by its node name. Guests are named by their server UUID; the agent keeps that UUID in
 * the domain's metadata, so that it finds its guests again after it restarts.
 *
 * <p>Every command is idempotent. Changing commands are remembered by command id: a redelivered
 * command answers as the first time and does its work once (a redelivered reset does not reset the
 * guest twice). Besides, each is safe to repeat by its target state: starting a running guest
 * answers its info, stopping or destroying a guest that is not running is {@link Done}.
 *
 * <p>Errors: {@code usage} for a malformed command (a spec that cannot describe a guest),
 * {@code missing} for a server that does not run on this node where the command needs one that
 * does, {@code busy} for a start that conflicts with what runs (the same server with another
 * spec, a disk path another guest holds), {@code failed} when the hypervisor refuses a valid
 * command (with its words), {@code system} when the hypervisor cannot be reached.
 */
public final class AgentCommands {
    private AgentCommands() {
    }

    /** Marker for the commands of this file. */
    public sealed interface AgentCommand<R> extends Command<R>
            permits StartGuest, StopGuest, ShutdownGuest, ResetGuest, DestroyGuest, SetGuestLive,
            DescribeGuest, DescribeGuests, ListGuests, DescribeHost {
    }

    /**
     * Starts a guest from its full spec: encrypted disks get their keys as private ephemeral
     * secrets of the hypervisor for the guest's lifetime. Allowed when the server does not run on
     * this node; when it runs with the same spec, answers its info (nothing restarted); when it runs
     * with another spec, or another guest holds one of its disk paths, {@code busy}.
     */
    public record StartGuest(String commandId, GuestSpec spec) implements AgentCommand<GuestInfo> {
    }

    /**
     * Cuts the guest's power at once (API {@code stop}). Allowed always: a server not running on
     * this node is already stopped ({@link Done}). The guest leaves nothing behind on the node.
     */
    public record StopGuest(String commandId, String server) implements AgentCommand<Done> {
    }

    /**
     * Sends an ACPI power-button press and answers at once (API {@code shutdown}); the guest's own
     * power-off follows as a {@link io.elasticcloud.protocol.Events.GuestStateChanged} event with
     * reason {@link StateReason#GUEST_SHUTDOWN}. A server not running on this node is {@link Done}.
     */
    public record ShutdownGuest(String commandId, String server) implements AgentCommand<Done> {
    }

    /** Hard reset of a running guest (API {@code reset}); {@code missing} if it does not run here. */
    public record ResetGuest(String commandId, String server) implements AgentCommand<Done> {
    }

    /**
     * Removes every trace of the server from this node (API {@code destroy}): the guest is stopped
     * first if it runs, its secrets and console log go. Never touches the disks' data. A server
     * this node does not know is already destroyed ({@link Done}).
     */
    public record DestroyGuest(String commandId, String server) implements AgentCommand<Done> {
    }

    /**
     * Changes what can change while the guest runs: its CPU quota in core MHz and its name; a null
     * field stays as it is. Allowed on a running guest only ({@code missing} otherwise); answers its
     * info afterwards.
     */
    public record SetGuestLive(String commandId, String server, Integer cpuMhz, String name)
            implements AgentCommand<GuestInfo> {
    }

    /** Answers a running guest's state and counters; {@code missing} if it does not run here. */
    public record DescribeGuest(String commandId, String server) implements AgentCommand<GuestInfo> {
    }

    /**
     * Answers the state and counters of each of {@code servers} that runs on this node, in their
     * order; those that do not run here are left out (never {@code missing}). Allowed always. One
     * command for all of a customer's servers on this host, so that a listing costs one round trip
     * per host and its reply grows with the servers named, not with the host.
     */
    public record DescribeGuests(String commandId, List<String> servers) implements AgentCommand<GuestList> {
    }

    /**
     * Answers every guest of this node that carries a server UUID, the ones it adopted after a
     * restart included (for reconciliation with the database).
     */
    public record ListGuests(String commandId) implements AgentCommand<GuestList> {
    }

    /** Answers the host's capacity and the virtualization it offers. */
    public record DescribeHost(String commandId) implements AgentCommand<HostInfo> {
    }

    /** The reply to {@link ListGuests} and {@link DescribeGuests}. */
    public record GuestList(List<GuestInfo> guests) {
    }
}
