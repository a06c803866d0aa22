package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.hypervisor.GuestEvent;
import io.elasticcloud.agent.hypervisor.GuestSpecs;
import io.elasticcloud.protocol.ElasticException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * How this agent's guests stop, and what follows: a power cut ({@link #stop}), the ACPI button
 * ({@link #shutdown}), a reset, and a guest's own end, which libvirt's lifecycle events report
 * ({@link LifecycleEvents}). Whoever stops a guest, its disks' secrets go at once and its network
 * entries soon after ({@link NetworkReconciler#releaseSoon}): the stop answers without waiting for
 * the networks.
 */
final class GuestPower {
    private final LibvirtDomains domains;
    private final LiveGuests live;
    private final LibvirtSecrets secrets;
    private final NetworkReconciler networks;
    private final LifecycleEvents events;

    /** Listens to the connection's lifecycle events from now on. */
    GuestPower(Connect connect, String uri, LibvirtDomains domains, LiveGuests live, LibvirtSecrets secrets,
               NetworkReconciler networks) throws LibvirtException {
        this.domains = domains;
        this.live = live;
        this.secrets = secrets;
        this.networks = networks;
        this.events = new LifecycleEvents(connect, uri, this::ended);
    }

    /** Cuts the server's power; nothing if it is not this agent's or does not run. */
    void stop(String server) {
        GuestSpecs.server(server);
        Optional<Domain> found = domains.own(server);
        if (found.isEmpty()) {
            return;
        }
        Domain domain = found.get();
        Optional<DomainMetadata> meta = domains.metadata(domain);
        if (LibvirtDomains.active(domain)) {
            CompletableFuture<Void> reported = events.powerCut(server);
            try {
                domain.destroy();
            } catch (LibvirtException e) {
                if (LibvirtDomains.active(domain)) {
                    events.powerCutFailed(server);
                    throw ElasticException.failed("server %s did not stop: %s", server, LibvirtHypervisor.message(e));
                }
            }
            // answered only once its event is out: else it could come after the next start
            events.awaitReported(server, reported);
        }
        meta.ifPresent(secrets::release);
        networks.releaseSoon();
    }

    /** Presses the server's ACPI power button; nothing if it does not run here. */
    void shutdown(String server) {
        GuestSpecs.server(server);
        Optional<Domain> found = domains.own(server).filter(LibvirtDomains::active);
        if (found.isEmpty()) {
            return;
        }
        try {
            live.shuttingDown(server);
            found.get().shutdown();
        } catch (LibvirtException e) {
            live.notShuttingDown(server);
            throw ElasticException.failed("server %s: ACPI shutdown refused: %s", server, LibvirtHypervisor.message(e));
        }
    }

    void reset(String server) {
        Domain domain = domains.running(server);
        try {
            domain.reset();
        } catch (LibvirtException e) {
            throw ElasticException.failed("server %s did not reset: %s", server, LibvirtHypervisor.message(e));
        }
    }

    void onEvent(Consumer<GuestEvent> listener) {
        events.onEvent(listener);
    }

    /** Stops listening to the lifecycle events. */
    void closeEvents() {
        events.close();
    }

    /**
     * A guest stopped or crashed (a lifecycle event): its secrets go now, its network entries soon
     * (the event is reported meanwhile).
     */
    private void ended(String server) {
        live.notShuttingDown(server);
        secrets.release(server);
        networks.releaseSoon();
    }
}
