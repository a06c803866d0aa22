package io.elasticcloud.agent.libvirt;

import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestInfo.DiskCounters;
import io.elasticcloud.protocol.agent.GuestInfo.NicCounters;
import io.elasticcloud.protocol.agent.GuestState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.libvirt.SchedLongParameter;
import org.libvirt.SchedParameter;
import org.libvirt.SchedUlongParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent reports of its running guests ({@link GuestInfo}): libvirt's figures and the
 * domain's metadata, overlaid with what only this process knows. Live changes of name and CPU
 * quota are kept here (libvirt-java 0.5.2 has no {@code virDomainSetMetadata}): after a restart
 * the metadata's start-time values are shown. A guest asked to shut down (ACPI) reads as shutting
 * down while libvirt still reports it running, until it ends or starts again.
 */
final class LiveGuests {
    private static final Logger log = LoggerFactory.getLogger(LiveGuests.class);

    private final Set<String> shuttingDown = ConcurrentHashMap.newKeySet();
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final Map<String, Integer> quotas = new ConcurrentHashMap<>();
    private final LibvirtHost host;

    /** @param host the host's speed, which a CPU quota is a share of */
    LiveGuests(LibvirtHost host) {
        this.host = host;
    }

    /** The server starts afresh: its earlier live changes and shutdown no longer apply. */
    void starting(String server) {
        names.remove(server);
        quotas.remove(server);
        shuttingDown.remove(server);
    }

    /** The server is destroyed: its live changes go. */
    void destroyed(String server) {
        names.remove(server);
        quotas.remove(server);
    }

    /** An ACPI shutdown was asked of the server. */
    void shuttingDown(String server) {
        shuttingDown.add(server);
    }

    /** The server's shutdown was refused, or the guest ended. */
    void notShuttingDown(String server) {
        shuttingDown.remove(server);
    }

    void renamed(String server, String name) {
        names.put(server, name);
    }

    /**
     * Applies a CPU quota of {@code mhz} to the running guest, as {@link DomainXml} writes one at
     * start (a CFS quota per vCPU), and remembers it.
     *
     * @throws ElasticException {@code failed} when libvirt refuses it
     */
    void changeQuota(Domain domain, String server, int mhz) {
        try {
            int vcpus = domain.getInfo().nrVirtCpu;
            SchedUlongParameter period = new SchedUlongParameter(DomainXml.PERIOD_US);
            period.field = "vcpu_period";
            SchedLongParameter quota = new SchedLongParameter(DomainXml.quotaUs(mhz, vcpus, host.capacity().mhz()));
            quota.field = "vcpu_quota";
            // one parameter per call: libvirt-java 0.5.2 builds arrays of several that JNA 5 refuses
            // ("Structure array elements must use contiguous memory")
            domain.setSchedulerParameters(new SchedParameter[] {period});
            domain.setSchedulerParameters(new SchedParameter[] {quota});
        } catch (LibvirtException e) {
            throw ElasticException.failed("server %s: CPU quota not changed: %s", server, LibvirtHypervisor.message(e));
        }
        quotas.put(server, mhz);
    }

    /** @throws ElasticException {@code missing} when the domain is gone */
    GuestInfo info(Domain domain, DomainMetadata meta) {
        try {
            DomainInfo info = domain.getInfo();
            List<DiskCounters> disks = GuestCounters.disks(domain, meta);
            List<NicCounters> nics = GuestCounters.nics(domain, meta);
            String server = meta.server();
            return new GuestInfo(server, names.getOrDefault(server, meta.name()), state(server, info.state),
                    info.nrVirtCpu, meta.sockets(), meta.cores(), quotas.getOrDefault(server, meta.cpuMhz()),
                    (int) (info.maxMem / 1024), info.cpuTime, disks, nics, meta.vncPort());
        } catch (LibvirtException e) {
            log.info("server {}: its domain is gone: {}", meta.server(), LibvirtHypervisor.message(e));
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
}
