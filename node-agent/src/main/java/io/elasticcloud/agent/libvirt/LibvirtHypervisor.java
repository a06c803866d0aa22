package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.hypervisor.GuestEvent;
import io.elasticcloud.agent.hypervisor.GuestSpecs;
import io.elasticcloud.agent.hypervisor.GuestUser;
import io.elasticcloud.agent.hypervisor.HostCapacity;
import io.elasticcloud.agent.hypervisor.Hypervisor;
import io.elasticcloud.agent.network.CommandRunner;
import io.elasticcloud.agent.network.HostNetwork;
import io.elasticcloud.agent.network.ProcessCommandRunner;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link Hypervisor}: libvirt through libvirt-java (JNA), {@code qemu:///system} in
 * production, {@code test:///default} in fast tests.
 *
 * <p>Guests are transient domains ({@code virDomainCreateXML}): a stopped server leaves no domain
 * behind, its configuration lives in the API service's database. Encrypted disks get one private,
 * ephemeral libvirt secret each (never written to disk by libvirt, never readable back), defined
 * just before the start and undefined when the guest stops, whoever stops it; secrets left over by
 * a crash of the agent are swept by {@link #recover()}. Their description names the server, which
 * is how the sweep recognizes them.
 *
 * <p>Networks ({@link NetworkReconciler}): before a domain starts, its NICs' DHCP host entries are
 * added to their networks and its VLANs' bridges made; after any stop (and at recovery) whatever
 * no running guest holds is removed, on a thread of its own, after the stop has answered.
 *
 * <p>Stops, ACPI shutdowns, resets and the guests' own ends are {@link GuestPower}'s. Live changes
 * of name and CPU quota are kept in this process only ({@link LiveGuests}; libvirt-java 0.5.2 has
 * no {@code virDomainSetMetadata}); after a restart the metadata's start-time values are shown,
 * and the quota actually applied is read back from the scheduler.
 */
public final class LibvirtHypervisor implements Hypervisor {
    private static final Logger log = LoggerFactory.getLogger(LibvirtHypervisor.class);

    /**
     * @param uri        the libvirt connection, {@code qemu:///system} by default
     * @param domainType {@code kvm}, {@code qemu} or {@code auto}
     * @param consoleDir where each guest's serial console is written ({@code elastic-UUID.log}),
     *                   null for no console log
     * @param vncTlsDir  the x509 directory for {@code vnc:tls on} guests (CA, server certificate
     *                   and key), null where this host offers no VNC TLS
     * @param node       the agent's node name, written into every domain it starts: it lists,
     *                   adopts, changes and sweeps only domains (and secrets) of its own node, so
     *                   that two agents on one libvirt never take each other's guests for orphans
     * @param publicNetwork the agent's public network, defined at start when libvirt has none of
     *                   its name and reconciled with the running guests; null: none is managed
     * @param hostNetwork the VLANs' bridges and VXLAN devices; null: NICs on VLANs fail ({@code failed})
     * @param commands   runs host commands ({@code dhcp_release}) next to libvirt
     */
    public record Settings(String uri, String domainType, Path consoleDir, Path vncTlsDir, String node,
                           PublicNetwork publicNetwork, HostNetwork hostNetwork, CommandRunner commands) {
        /** No node name (owns only domains that name none), no public network managed, no VLANs. */
        public Settings(String uri, String domainType, Path consoleDir, boolean vncTls) {
            this(uri, domainType, consoleDir, vncTls, null, null);
        }

        /** A node's agent without public network or VLANs (as on libvirt's test driver). */
        public Settings(String uri, String domainType, Path consoleDir, Path vncTlsDir, String node) {
            this(uri, domainType, consoleDir, vncTlsDir, node, null, null, ProcessCommandRunner.local());
        }

        /** No node name; host commands on this host. */
        public Settings(String uri, String domainType, Path consoleDir, boolean vncTls, PublicNetwork publicNetwork,
                        HostNetwork hostNetwork) {
            this(uri, domainType, consoleDir, vncTls, publicNetwork, hostNetwork, ProcessCommandRunner.local());
        }

        /** No node name; VNC TLS from libvirt's default directory or none. */
        public Settings(String uri, String domainType, Path consoleDir, boolean vncTls, PublicNetwork publicNetwork,
                        HostNetwork hostNetwork, CommandRunner commands) {
            this(uri, domainType, consoleDir, vncTls ? DomainXml.DEFAULT_VNC_TLS_DIR : null, null, publicNetwork,
                    hostNetwork, commands);
        }
    }

    private final Settings settings;
    private final Connect connect;
    private final LibvirtSecrets secrets;
    private final LibvirtDomains domains;
    private final NetworkReconciler networks;
    private final LibvirtHost host;
    private final LiveGuests live;
    private final GuestPower power;
    private final ConsoleLogs consoles;
    /** Held by a start from its checks to its domain's creation, and by a networks' pass. */
    private final Object startLock = new Object();

    public LibvirtHypervisor(Settings settings) {
        this.settings = settings;
        try {
            LibvirtEventLoop.ensureRunning();
            this.connect = new Connect(settings.uri());
            this.secrets = new LibvirtSecrets(connect, settings.node());
            this.domains = new LibvirtDomains(connect, settings.uri(), settings.node());
            this.networks = new NetworkReconciler(connect, settings, startLock, domains::runningMetadata);
            this.host = new LibvirtHost(connect, settings.uri(), settings.domainType());
            this.live = new LiveGuests(host);
            this.power = new GuestPower(connect, settings.uri(), domains, live, secrets, networks);
        } catch (LibvirtException e) {
            throw ElasticException.system("cannot connect to libvirt at %s: %s", settings.uri(), message(e));
        }
        this.consoles = new ConsoleLogs(settings.consoleDir());
        log.info("libvirt hypervisor at {}: domain type {}", settings.uri(), host.domainType());
    }

    public String domainType() {
        return host.domainType();
    }

    @Override
    public Optional<GuestUser> guestUser() {
        return host.guestUser();
    }

    @Override
    public HostCapacity host() {
        return host.capacity();
    }

    @Override
    public GuestInfo start(GuestSpec spec) {
        GuestSpecs.validate(spec);
        String server = spec.server();
        synchronized (startLock) {
            Optional<Domain> existing = domains.lookup(server);
            if (existing.isPresent()) {
                Domain domain = existing.get();
                if (LibvirtDomains.active(domain)) {
                    DomainMetadata meta = domains.metadata(domain).orElseThrow(
                            () -> ElasticException.busy("server %s: a foreign domain holds its name", server));
                    if (DomainXml.fingerprint(spec).equals(meta.spec())) {
                        return live.info(domain, meta);
                    }
                    throw ElasticException.busy("server %s is already running with another configuration", server);
                }
                LibvirtDomains.undefine(domain);
            }
            List<DomainMetadata> others = domains.runningMetadata();
            Set<String> held = new HashSet<>();
            others.forEach(m -> held.addAll(m.writableSources()));
            // one writer per volume on this host; readers (read-only, shareable) open beside it
            for (DiskSpec disk : spec.disks() == null ? List.<DiskSpec>of() : spec.disks()) {
                if (!disk.readOnly() && held.contains(disk.volume().source())) {
                    throw ElasticException.busy("drive %s is in use by another server on this host", disk.volume().volume());
                }
            }
            live.starting(server);
            try {
                networks.attach(spec, others);
                Map<String, String> diskSecrets = secrets.define(spec);
                String xml = DomainXml.build(spec, new DomainXml.Host(host.domainType(), host().mhz(),
                        consoles.of(server), diskSecrets, settings.vncTlsDir(), settings.node()));
                Domain domain = connect.domainCreateXML(xml, 0);
                return live.info(domain, domains.metadata(domain).orElseThrow());
            } catch (LibvirtException | RuntimeException e) {
                secrets.release(server);
                networks.releaseNow();
                if (e instanceof LibvirtException le) {
                    throw ElasticException.failed("server %s did not start: %s", server, message(le));
                }
                throw (RuntimeException) e;
            }
        }
    }

    @Override
    public void stop(String server) {
        power.stop(server);
    }

    @Override
    public void shutdown(String server) {
        power.shutdown(server);
    }

    @Override
    public void reset(String server) {
        power.reset(server);
    }

    @Override
    public void destroy(String server) {
        GuestSpecs.server(server);
        Optional<Path> console = domains.own(server).flatMap(domains::metadata).map(DomainMetadata::console)
                .map(Path::of);
        stop(server);
        domains.own(server).ifPresent(LibvirtDomains::undefine);
        consoles.delete(server, console);
        live.destroyed(server);
    }

    @Override
    public GuestInfo setCpuQuota(String server, int mhz) {
        GuestSpecs.mhz(mhz);
        Domain domain = domains.running(server);
        DomainMetadata meta = domains.metadata(domain).orElseThrow(() -> LibvirtDomains.missing(server));
        live.changeQuota(domain, server, mhz);
        return live.info(domain, meta);
    }

    @Override
    public GuestInfo setName(String server, String name) {
        GuestSpecs.name(name);
        Domain domain = domains.running(server);
        live.renamed(server, name);
        return live.info(domain, domains.metadata(domain).orElseThrow(() -> LibvirtDomains.missing(server)));
    }

    @Override
    public Optional<GuestInfo> inspect(String server) {
        GuestSpecs.server(server);
        return domains.own(server).filter(LibvirtDomains::active)
                .flatMap(d -> domains.metadata(d).map(m -> live.info(d, m)));
    }

    @Override
    public List<GuestInfo> list() {
        List<GuestInfo> guests = new ArrayList<>();
        for (Domain domain : domains.running()) {
            try {
                domains.metadata(domain).ifPresent(m -> guests.add(live.info(domain, m)));
            } catch (ElasticException e) {
                log.debug("domain vanished while listed: {}", e.getMessage());
            }
        }
        return guests;
    }

    @Override
    public List<GuestInfo> recover() {
        List<GuestInfo> adopted = list();
        Set<String> alive = new HashSet<>();
        for (GuestInfo guest : adopted) {
            alive.add(guest.server());
            domains.lookup(guest.server()).flatMap(domains::metadata).ifPresent(secrets::adopt);
        }
        secrets.sweep(alive, settings.uri());
        networks.releaseNow();
        return adopted;
    }

    @Override
    public void onEvent(Consumer<GuestEvent> listener) {
        power.onEvent(listener);
    }

    @Override
    public void close() {
        networks.closing();
        power.closeEvents();
        networks.awaitPasses();
        try {
            connect.close();
        } catch (LibvirtException e) {
            log.warn("closing libvirt at {}: {}", settings.uri(), message(e));
        }
    }

    /** libvirt's own message of an error, else the exception's. */
    static String message(LibvirtException e) {
        return e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage() : e.getMessage();
    }
}
