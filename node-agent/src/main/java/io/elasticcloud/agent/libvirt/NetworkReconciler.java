package io.elasticcloud.agent.libvirt;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.GuestSpec;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guests' networks on this host ({@link GuestNetworks}), for {@link LibvirtHypervisor}: before
 * a domain starts, its NICs' DHCP host entries are added to their networks and its VLANs' bridges
 * made ({@link #attach}); after any stop (and at recovery) whatever no running guest holds is
 * removed. That removal runs on a thread of its own ({@link #releaseSoon}), after the stop has
 * answered (and after a guest's own power-off has been reported): each change of a host entry
 * makes libvirt restart the network's dnsmasq, 0.6-2.5 s, which is not the stop's work. A start
 * meanwhile waits for the start lock and finds the host as the pass left it; a start that needs
 * an entry a pass has not removed yet replaces it itself. The public network is defined when this
 * is made, if libvirt has none of its name.
 */
final class NetworkReconciler {
    private static final Logger log = LoggerFactory.getLogger(NetworkReconciler.class);

    private final LibvirtHypervisor.Settings settings;
    private final GuestNetworks networks;
    /** The hypervisor's start lock: a pass and a start never run at once. */
    private final Object startLock;
    /** This agent's running guests' metadata, read under the start lock. */
    private final Supplier<List<DomainMetadata>> running;
    /** {@link #releaseNow} calls made, and those a reconciliation has covered (under the start lock). */
    private final AtomicLong releaseRequests = new AtomicLong();
    private long releasedUpTo;
    /** Runs {@link #releaseNow} after stops, so that they answer without waiting for it. */
    private final ExecutorService releases;
    private final AtomicBoolean releasePending = new AtomicBoolean();
    private volatile boolean closed;

    NetworkReconciler(Connect connect, LibvirtHypervisor.Settings settings, Object startLock,
                      Supplier<List<DomainMetadata>> running) {
        this.settings = settings;
        this.startLock = startLock;
        this.running = running;
        this.releases = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "libvirt-networks-" + settings.uri());
            t.setDaemon(true);
            return t;
        });
        DhcpHosts dhcp = new DhcpHosts(connect, settings.commands());
        if (settings.publicNetwork() != null) {
            try {
                dhcp.ensure(settings.publicNetwork());
            } catch (ElasticException e) {
                // guests without a public NIC still run; those with one fail to start, saying why
                log.error("{}: guests with a NIC on it cannot start", e.getMessage());
            }
        }
        // whatever network a NIC names, a public one refers to our filter
        if (!settings.uri().startsWith("test:")) {
            defineNicFilters(connect);
        }
        this.networks = new GuestNetworks(dhcp, settings.hostNetwork(),
                settings.publicNetwork() == null ? null : settings.publicNetwork().name());
    }

    /** Our public NICs' filter ({@link NicFilter}); libvirt's test driver keeps none and needs none. */
    private void defineNicFilters(Connect connect) {
        try {
            NicFilter.define(connect);
        } catch (LibvirtException e) {
            log.error("network filter {} not defined: guests with a public NIC cannot start: {}", NicFilter.PUBLIC,
                    LibvirtHypervisor.message(e));
        }
    }

    /** Readies the networks of {@code spec}'s NICs, beside the {@code others} running; under the start lock. */
    void attach(GuestSpec spec, List<DomainMetadata> others) {
        networks.attach(spec, others);
    }

    /**
     * {@link #releaseNow} on the releases' thread, soon: one pass pending at a time, and a
     * request made while a pass runs gets a pass of its own after it.
     */
    void releaseSoon() {
        if (closed || !releasePending.compareAndSet(false, true)) {
            return;
        }
        try {
            releases.execute(() -> {
                releasePending.set(false);
                releaseNow();
            });
        } catch (RejectedExecutionException closing) {
            releasePending.set(false);
        }
    }

    /**
     * Removes the host entries and VLAN bridges that no running guest holds any longer. Called
     * once the guest is gone; a reconciliation that began after this call (another stop's, while
     * this one waited for the lock) saw it gone already, so this one is skipped: parallel stops
     * share one pass.
     */
    void releaseNow() {
        if (closed) {
            return; // a stop event delivered after close: the connection is gone, a restarted agent reconciles
        }
        long request = releaseRequests.incrementAndGet();
        synchronized (startLock) {
            if (releasedUpTo >= request) {
                return;
            }
            long upTo = releaseRequests.get();
            try {
                networks.reconcile(running.get());
            } catch (RuntimeException e) {
                log.warn("networks not reconciled: {}", e.getMessage());
            }
            releasedUpTo = upTo;
        }
    }

    /** The connection is closing: no pass starts from now on. */
    void closing() {
        closed = true;
    }

    /** Waits for a pass under way: it ends before the connection goes (a restarted agent reconciles the rest). */
    void awaitPasses() {
        releases.shutdown();
        try {
            if (!releases.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("closing libvirt at {}: the networks' pass still runs", settings.uri());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
