package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.hypervisor.GuestSpecs;
import io.elasticcloud.protocol.ElasticException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This agent's domains on one libvirt connection: a domain is the agent's when its XML carries
 * the agent's metadata naming this node ({@link DomainMetadata#node()}), so that two agents on one
 * libvirt never take each other's guests for theirs. Every lookup answers what libvirt says now;
 * only the parsing of unchanged XML is remembered ({@link ParsedDomains}).
 */
final class LibvirtDomains {
    private static final Logger log = LoggerFactory.getLogger(LibvirtDomains.class);

    private final Connect connect;
    private final String uri;
    private final String node;
    private final ParsedDomains parsed = new ParsedDomains();

    /**
     * @param uri  the connection's URI, for messages
     * @param node the agent's node name, null for none (owns only domains that name none)
     */
    LibvirtDomains(Connect connect, String uri, String node) {
        this.connect = connect;
        this.uri = uri;
        this.node = node;
    }

    /** The server's domain, whoever's it is; empty if libvirt has none of its name. */
    Optional<Domain> lookup(String server) {
        try {
            return Optional.of(connect.domainLookupByName(DomainXml.domainName(server)));
        } catch (LibvirtException e) {
            return Optional.empty();
        }
    }

    /** The server's domain if it is this agent's (its metadata names this node), else empty. */
    Optional<Domain> own(String server) {
        return lookup(server).filter(d -> metadata(d).isPresent());
    }

    /** @throws ElasticException {@code missing} unless the server runs here as this agent's */
    Domain running(String server) {
        GuestSpecs.server(server);
        return own(server).filter(LibvirtDomains::active).orElseThrow(() -> missing(server));
    }

    /** Every running domain, whoever's it is; domains that vanish while listed are left out. */
    List<Domain> running() {
        List<Domain> domains = new ArrayList<>();
        try {
            for (int id : connect.listDomains()) {
                try {
                    domains.add(connect.domainLookupByID(id));
                } catch (LibvirtException e) {
                    log.debug("domain {} vanished: {}", id, LibvirtHypervisor.message(e));
                }
            }
        } catch (LibvirtException e) {
            throw ElasticException.system("libvirt at %s does not answer: %s", uri, LibvirtHypervisor.message(e));
        }
        return domains;
    }

    /** This agent's running guests' metadata; forgets the parsed XML of every other domain. */
    List<DomainMetadata> runningMetadata() {
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

    static boolean active(Domain domain) {
        try {
            return domain.isActive() == 1;
        } catch (LibvirtException e) {
            return false;
        }
    }

    /** The agent's metadata of the domain, empty if it is not this node's or is gone. */
    Optional<DomainMetadata> metadata(Domain domain) {
        try {
            return parsed.metadata(domain.getName(), domain.getXMLDesc(0))
                    .filter(m -> Objects.equals(m.node(), node));
        } catch (LibvirtException e) {
            return Optional.empty();
        }
    }

    /** Removes the persistent definition of a domain that does not run (the agent's guests are transient). */
    static void undefine(Domain domain) {
        try {
            if (domain.isPersistent() == 1) {
                domain.undefine();
            }
        } catch (LibvirtException e) {
            log.warn("could not undefine a stale domain: {}", LibvirtHypervisor.message(e));
        }
    }

    static ElasticException missing(String server) {
        return ElasticException.missing("server %s is not running on this host", server);
    }
}
