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
import io.elasticcloud.protocol.agent.GuestInfo.DiskCounters;
import io.elasticcloud.protocol.agent.GuestInfo.NicCounters;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.secret.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.SchedLongParameter;
import org.libvirt.SchedParameter;
import org.libvirt.SchedUlongParameter;
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
 * <p>Networks ({@link GuestNetworks}): before a domain starts, its NICs' DHCP host entries are
 * added to their networks and its VLANs' bridges made; after any stop (and at recovery) whatever
 * no running guest holds is removed. That removal runs on a thread of its own, after the stop has
 * answered (and after a guest's own power-off has been reported): each change of a host entry
 * makes libvirt restart the network's dnsmasq, 0.6-2.5 s, which is not the stop's work. A start
 * meanwhile waits for the start lock and finds the host as the pass left it; a start that needs
 * an entry a pass has not removed yet replaces it itself. The public network is defined at start
 * when it is missing.
 *
 * <p>Live changes of name and CPU quota are kept in this process only (libvirt-java 0.5.2 has no
 * {@code virDomainSetMetadata}); after a restart the metadata's start-time values are shown, and
 * the quota actually applied is read back from the scheduler.
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
    private final String domainType;
    private final Set<String> shuttingDown = ConcurrentHashMap.newKeySet();
    private final LibvirtSecrets secrets;
    private final GuestNetworks networks;
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final Map<String, Integer> quotas = new ConcurrentHashMap<>();
    private final LifecycleEvents events;
    private final Object startLock = new Object();
    private final ParsedDomains parsed = new ParsedDomains();
    /** {@link #releaseNetworks} calls made, and those a reconciliation has covered (under the start lock). */
    private final AtomicLong releaseRequests = new AtomicLong();
    private long releasedUpTo;
    /** Runs {@link #releaseNetworks} after stops, so that they answer without waiting for it. */
    private final ExecutorService releases;
    private final AtomicBoolean releasePending = new AtomicBoolean();
    private volatile boolean closed;

    public LibvirtHypervisor(Settings settings) {
        this.settings = settings;
        this.releases = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "libvirt-networks-" + settings.uri());
            t.setDaemon(true);
            return t;
        });
        try {
            LibvirtEventLoop.ensureRunning();
            this.connect = new Connect(settings.uri());
            this.secrets = new LibvirtSecrets(connect, settings.node());
            DhcpHosts dhcp = new DhcpHosts(connect, settings.commands());
            if (settings.publicNetwork() != null) {
                try {
                    dhcp.ensure(settings.publicNetwork());
                } catch (ElasticException e) {
                    // guests without a public NIC still run; those with one fail to start, saying why
                    log.error("{}: guests with a NIC on it cannot start", e.getMessage());
                }
                defineNicFilters();
            }
            this.networks = new GuestNetworks(dhcp, settings.hostNetwork(),
                    settings.publicNetwork() == null ? null : settings.publicNetwork().name());
            this.domainType = DomainTypes.resolve(settings.domainType(), connect.getCapabilities());
            this.events = new LifecycleEvents(connect, settings.uri(), this::guestEnded);
        } catch (LibvirtException e) {
            throw ElasticException.system("cannot connect to libvirt at %s: %s", settings.uri(), message(e));
        }
        if (settings.consoleDir() != null) {
            try {
                // rwx--x--x: no one may list the guests' server UUIDs; qemu, handed each log by
                // path, may pass
                PrivateFiles.directory(settings.consoleDir(), PrivateFiles.TRAVERSE);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create console directory " + settings.consoleDir(), e);
            }
        }
        log.info("libvirt hypervisor at {}: domain type {}", settings.uri(), domainType);
    }

    /** Our public NICs' filter ({@link NicFilter}); the test driver keeps none and needs none. */
    private void defineNicFilters() {
        try {
            NicFilter.define(connect);
        } catch (LibvirtException e) {
            if (settings.uri().startsWith("test:")) {
                log.debug("libvirt at {} keeps no network filters: {}", settings.uri(), message(e));
            } else {
                log.error("network filter {} not defined: guests with a public NIC cannot start: {}", NicFilter.PUBLIC,
                        message(e));
            }
        }
    }

    public String domainType() {
        return domainType;
    }

    @Override
    public Optional<GuestUser> guestUser() {
        try {
            return GuestUsers.of(connect.getCapabilities(), domainType, readOrEmpty(Path.of("/etc/passwd")),
                    readOrEmpty(Path.of("/etc/group")));
        } catch (LibvirtException e) {
            throw ElasticException.system("libvirt at %s does not answer: %s", settings.uri(), message(e));
        }
    }

    private static String readOrEmpty(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public HostCapacity host() {
        try {
            NodeInfo node = connect.nodeInfo();
            long free = connect.getFreeMemory();
            return new HostCapacity(domainType, node.cpus, node.mhz, node.memory / 1024, free / (1024 * 1024));
        } catch (LibvirtException e) {
            throw ElasticException.system("libvirt at %s does not answer: %s", settings.uri(), message(e));
        }
    }

    @Override
    public GuestInfo start(GuestSpec spec) {
        GuestSpecs.validate(spec);
        String server = spec.server();
        synchronized (startLock) {
            Optional<Domain> existing = lookup(server);
            if (existing.isPresent()) {
                Domain domain = existing.get();
                if (active(domain)) {
                    DomainMetadata meta = metadata(domain).orElseThrow(
                            () -> ElasticException.busy("server %s: a foreign domain holds its name", server));
                    if (DomainXml.fingerprint(spec).equals(meta.spec())) {
                        return info(domain, meta);
                    }
                    throw ElasticException.busy("server %s is already running with another configuration", server);
                }
                undefine(domain);
            }
            List<DomainMetadata> others = runningMetadata();
            Set<String> held = new HashSet<>();
            others.forEach(m -> held.addAll(m.writableSources()));
            // one writer per volume on this host; readers (read-only, shareable) open beside it
            for (DiskSpec disk : spec.disks() == null ? List.<DiskSpec>of() : spec.disks()) {
                if (!disk.readOnly() && held.contains(disk.volume().source())) {
                    throw ElasticException.busy("drive %s is in use by another server on this host", disk.volume().volume());
                }
            }
            names.remove(server);
            quotas.remove(server);
            shuttingDown.remove(server);
            try {
                networks.attach(spec, others);
                Map<String, String> diskSecrets = secrets.define(spec);
                Path console = settings.consoleDir() == null ? null
                        : settings.consoleDir().resolve(DomainXml.domainName(server) + ".log");
                String xml = DomainXml.build(spec, new DomainXml.Host(domainType, host().mhz(), console, diskSecrets,
                        settings.vncTlsDir(), settings.node()));
                Domain domain = connect.domainCreateXML(xml, 0);
                return info(domain, metadata(domain).orElseThrow());
            } catch (LibvirtException | RuntimeException e) {
                secrets.release(server);
                releaseNetworks();
                if (e instanceof LibvirtException le) {
                    throw ElasticException.failed("server %s did not start: %s", server, message(le));
                }
                throw (RuntimeException) e;
            }
        }
    }

    @Override
    public void stop(String server) {
        GuestSpecs.server(server);
        Optional<Domain> found = own(server);
        if (found.isEmpty()) {
            return;
        }
        Domain domain = found.get();
        Optional<DomainMetadata> meta = metadata(domain);
        events.powerCut(server);
        try {
            if (active(domain)) {
                domain.destroy();
            }
        } catch (LibvirtException e) {
            if (active(domain)) {
                events.powerCutFailed(server);
                throw ElasticException.failed("server %s did not stop: %s", server, message(e));
            }
        }
        meta.ifPresent(secrets::release);
        releaseNetworksSoon();
    }

    /**
     * {@link #releaseNetworks} on the releases' thread, soon: one pass pending at a time, and a
     * request made while a pass runs gets a pass of its own after it.
     */
    private void releaseNetworksSoon() {
        if (closed || !releasePending.compareAndSet(false, true)) {
            return;
        }
        try {
            releases.execute(() -> {
                releasePending.set(false);
                releaseNetworks();
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
    private void releaseNetworks() {
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
                networks.reconcile(runningMetadata());
            } catch (RuntimeException e) {
                log.warn("networks not reconciled: {}", e.getMessage());
            }
            releasedUpTo = upTo;
        }
    }

    @Override
    public void shutdown(String server) {
        GuestSpecs.server(server);
        Optional<Domain> found = own(server).filter(this::active);
        if (found.isEmpty()) {
            return;
        }
        try {
            shuttingDown.add(server);
            found.get().shutdown();
        } catch (LibvirtException e) {
            shuttingDown.remove(server);
            throw ElasticException.failed("server %s: ACPI shutdown refused: %s", server, message(e));
        }
    }

    @Override
    public void reset(String server) {
        Domain domain = running(server);
        try {
            domain.reset();
        } catch (LibvirtException e) {
            throw ElasticException.failed("server %s did not reset: %s", server, message(e));
        }
    }

    @Override
    public void destroy(String server) {
        GuestSpecs.server(server);
        Optional<Path> console = own(server).flatMap(this::metadata).map(DomainMetadata::console).map(Path::of);
        stop(server);
        own(server).ifPresent(this::undefine);
        Path log = console.orElse(settings.consoleDir() == null ? null
                : settings.consoleDir().resolve(DomainXml.domainName(server) + ".log"));
        if (log != null) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                LibvirtHypervisor.log.warn("server {}: console log {} not deleted: {}", server, log, e.getMessage());
            }
        }
        names.remove(server);
        quotas.remove(server);
    }

    @Override
    public GuestInfo setCpuQuota(String server, int mhz) {
        GuestSpecs.mhz(mhz);
        Domain domain = running(server);
        DomainMetadata meta = metadata(domain).orElseThrow(() -> missing(server));
        try {
            int vcpus = domain.getInfo().nrVirtCpu;
            SchedUlongParameter period = new SchedUlongParameter(DomainXml.PERIOD_US);
            period.field = "vcpu_period";
            SchedLongParameter quota = new SchedLongParameter(DomainXml.quotaUs(mhz, vcpus, host().mhz()));
            quota.field = "vcpu_quota";
            // one parameter per call: libvirt-java 0.5.2 builds arrays of several that JNA 5 refuses
            // ("Structure array elements must use contiguous memory")
            domain.setSchedulerParameters(new SchedParameter[] {period});
            domain.setSchedulerParameters(new SchedParameter[] {quota});
        } catch (LibvirtException e) {
            throw ElasticException.failed("server %s: CPU quota not changed: %s", server, message(e));
        }
        quotas.put(server, mhz);
        return info(domain, meta);
    }

    @Override
    public GuestInfo setName(String server, String name) {
        GuestSpecs.name(name);
        Domain domain = running(server);
        names.put(server, name);
        return info(domain, metadata(domain).orElseThrow(() -> missing(server)));
    }

    @Override
    public Optional<GuestInfo> inspect(String server) {
        GuestSpecs.server(server);
        return own(server).filter(this::active)
                .flatMap(d -> metadata(d).map(m -> info(d, m)));
    }

    @Override
    public List<GuestInfo> list() {
        List<GuestInfo> guests = new ArrayList<>();
        for (Domain domain : running()) {
            try {
                metadata(domain).ifPresent(m -> guests.add(info(domain, m)));
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
            lookup(guest.server()).flatMap(this::metadata).ifPresent(secrets::adopt);
        }
        secrets.sweep(alive, settings.uri());
        releaseNetworks();
        return adopted;
    }

    @Override
    public void onEvent(Consumer<GuestEvent> listener) {
        events.onEvent(listener);
    }

    @Override
    public void close() {
        closed = true;
        events.close();
        releases.shutdown();
        try {
            // a pass under way ends before the connection goes (a restarted agent reconciles the rest)
            if (!releases.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("closing libvirt at {}: the networks' pass still runs", settings.uri());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connect.close();
        } catch (LibvirtException e) {
            log.warn("closing libvirt at {}: {}", settings.uri(), message(e));
        }
    }

    /**
     * A guest stopped or crashed (a lifecycle event): its secrets go now, its network entries soon
     * (the event is reported meanwhile).
     */
    private void guestEnded(String server) {
        shuttingDown.remove(server);
        secrets.release(server);
        releaseNetworksSoon();
    }

    // --- domains

    private GuestInfo info(Domain domain, DomainMetadata meta) {
        try {
            DomainInfo info = domain.getInfo();
            List<DiskCounters> disks = GuestCounters.disks(domain, meta);
            List<NicCounters> nics = GuestCounters.nics(domain, meta);
            String server = meta.server();
            return new GuestInfo(server, names.getOrDefault(server, meta.name()), state(server, info.state),
                    info.nrVirtCpu, meta.sockets(), meta.cores(), quotas.getOrDefault(server, meta.cpuMhz()),
                    (int) (info.maxMem / 1024), info.cpuTime, disks, nics, meta.vncPort());
        } catch (LibvirtException e) {
            log.info("server {}: its domain is gone: {}", meta.server(), message(e));
            throw ElasticException.missing("server %s is not running on this host", meta.server());
        }
    }

    private GuestState state(String server, DomainInfo.DomainState state) {
        return switch (state) {
            case VIR_DOMAIN_PAUSED -> GuestState.PAUSED;
            case VIR_DOMAIN_SHUTDOWN -> GuestState.SHUTTING_DOWN;
            case VIR_DOMAIN_SHUTOFF -> GuestState.STOPPED;
            case VIR_DOMAIN_CRASHED -> GuestState.CRASHED;
            default -> shuttingDown.contains(server) ? GuestState.SHUTTING_DOWN : GuestState.RUNNING;
        };
    }

    private Optional<Domain> lookup(String server) {
        try {
            return Optional.of(connect.domainLookupByName(DomainXml.domainName(server)));
        } catch (LibvirtException e) {
            return Optional.empty();
        }
    }

    /** The server's domain if it is this agent's (its metadata names this node), else empty. */
    private Optional<Domain> own(String server) {
        return lookup(server).filter(d -> metadata(d).isPresent());
    }

    private Domain running(String server) {
        GuestSpecs.server(server);
        return own(server).filter(this::active).orElseThrow(() -> missing(server));
    }

    private List<Domain> running() {
        List<Domain> domains = new ArrayList<>();
        try {
            for (int id : connect.listDomains()) {
                try {
                    domains.add(connect.domainLookupByID(id));
                } catch (LibvirtException e) {
                    log.debug("domain {} vanished: {}", id, message(e));
                }
            }
        } catch (LibvirtException e) {
            throw ElasticException.system("libvirt at %s does not answer: %s", settings.uri(), message(e));
        }
        return domains;
    }

    /** This agent's running guests' metadata; forgets the parsed XML of every other domain. */
    private List<DomainMetadata> runningMetadata() {
        List<DomainMetadata> guests = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Domain domain : running()) {
            try {
                names.add(domain.getName());
            } catch (LibvirtException e) {
                continue;
            }
            metadata(domain).ifPresent(guests::add);
        }
        parsed.retain(names);
        return guests;
    }

    private boolean active(Domain domain) {
        try {
            return domain.isActive() == 1;
        } catch (LibvirtException e) {
            return false;
        }
    }

    private Optional<DomainMetadata> metadata(Domain domain) {
        try {
            return parsed.metadata(domain.getName(), domain.getXMLDesc(0))
                    .filter(m -> Objects.equals(m.node(), settings.node()));
        } catch (LibvirtException e) {
            return Optional.empty();
        }
    }

    private void undefine(Domain domain) {
        try {
            if (domain.isPersistent() == 1) {
                domain.undefine();
            }
        } catch (LibvirtException e) {
            log.warn("could not undefine a stale domain: {}", message(e));
        }
    }

    private static ElasticException missing(String server) {
        return ElasticException.missing("server %s is not running on this host", server);
    }

    static String message(LibvirtException e) {
        return e.getError() != null && e.getError().getMessage() != null ? e.getError().getMessage() : e.getMessage();
    }
}
