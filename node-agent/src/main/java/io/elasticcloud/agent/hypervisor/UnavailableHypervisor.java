package io.elasticcloud.agent.hypervisor;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The hypervisor of a host where it could not be reached at start (libvirtd not running, libvirt
 * not installed): every command answers {@code system} with the reason, no guest is adopted, and
 * no heartbeat can be taken, so the API service never places a server here. The rest of the
 * process (the API, storage) runs on; restarting once libvirt is up brings the agent back.
 */
public final class UnavailableHypervisor implements Hypervisor {
    private final String reason;

    public UnavailableHypervisor(String reason) {
        this.reason = reason;
    }

    private ElasticException unavailable() {
        return ElasticException.system("this host's hypervisor is unavailable: %s", reason);
    }

    @Override
    public HostCapacity host() {
        throw unavailable();
    }

    @Override
    public GuestInfo start(GuestSpec spec) {
        throw unavailable();
    }

    @Override
    public void stop(String server) {
        throw unavailable();
    }

    @Override
    public void shutdown(String server) {
        throw unavailable();
    }

    @Override
    public void reset(String server) {
        throw unavailable();
    }

    @Override
    public void destroy(String server) {
        throw unavailable();
    }

    @Override
    public GuestInfo setCpuQuota(String server, int mhz) {
        throw unavailable();
    }

    @Override
    public GuestInfo setName(String server, String name) {
        throw unavailable();
    }

    @Override
    public Optional<GuestInfo> inspect(String server) {
        throw unavailable();
    }

    @Override
    public List<GuestInfo> list() {
        throw unavailable();
    }

    @Override
    public List<GuestInfo> recover() {
        return List.of();
    }

    @Override
    public void onEvent(Consumer<GuestEvent> listener) {
        // no guests, no events
    }

    @Override
    public void close() {
    }
}
