package io.elasticcloud.agent.hypervisor;

import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The node agent's narrow view of a hypervisor (after Nomad's driver interface): run guests from
 * specs, act on them by server UUID, find them again after a restart. Two implementations: {@code
 * LibvirtHypervisor} (real) and {@link FakeHypervisor} (tests). Both validate specs with {@link
 * GuestSpecs} and throw {@link io.elasticcloud.protocol.ElasticException}s with the types of the
 * agent's contract: {@code usage}, {@code missing}, {@code busy}, {@code failed}, {@code system}.
 *
 * <p>Only guests tagged with a server UUID (in the libvirt domain's metadata) are the agent's;
 * anything else on the host is neither listed nor touched.
 */
public interface Hypervisor extends AutoCloseable {

    /** The host's capacity and virtualization type; guests and commitments are counted by the agent. */
    HostCapacity host();

    /**
     * Starts a guest. Already running with the same spec (but for name and CPU quota, which change
     * live): answers its info. Running with another spec, or a disk path held by another guest:
     * {@code busy}.
     */
    GuestInfo start(GuestSpec spec);

    /** Power cut; returns when the guest no longer runs. Not running: nothing to do. */
    void stop(String server);

    /** ACPI power button; returns at once. Not running: nothing to do. */
    void shutdown(String server);

    /** Hard reset; {@code missing} if not running. */
    void reset(String server);

    /** Stops the guest if it runs and removes what it left on the host (secrets, console log). */
    void destroy(String server);

    /** Changes the CPU quota live; {@code missing} if not running. */
    GuestInfo setCpuQuota(String server, int mhz);

    /** Renames a running guest (the name lives in its metadata); {@code missing} if not running. */
    GuestInfo setName(String server, String name);

    /** The guest's state and counters, empty if it does not run here. */
    Optional<GuestInfo> inspect(String server);

    /** Every guest of the agent's on this host. */
    List<GuestInfo> list();

    /**
     * Re-adopts the guests that still run after the agent restarted (found by the server UUID in
     * their metadata) and removes what stopped guests left behind; answers the adopted guests.
     */
    List<GuestInfo> recover();

    /** Receives every state change of the agent's guests, from any thread of the hypervisor's. */
    void onEvent(Consumer<GuestEvent> listener);

    @Override
    void close();

    /**
     * The user this hypervisor runs guests as, who must reach every drive's file by its path;
     * empty when there is no such user to check for (a fake, or libvirt without its DAC driver).
     */
    default Optional<GuestUser> guestUser() {
        return Optional.empty();
    }
}
