package io.elasticcloud.agent.libvirt;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link DomainMetadata#parse} remembered per domain name: the same XML gives the same metadata,
 * so a domain whose XML libvirt returns unchanged is not parsed again. The agent reads every
 * running domain's metadata at each start and after each stop (drives held, networks to
 * reconcile); parsing each one every time made those linear in the running guests at a DOM parse
 * each, under the start lock. The XML is still asked of libvirt each time and compared in full,
 * so nothing stale is ever answered; {@link #retain} forgets the domains that no longer run.
 * Thread-safe.
 */
final class ParsedDomains {
    private record Parsed(String xml, Optional<DomainMetadata> metadata) {
    }

    private final Map<String, Parsed> byName = new ConcurrentHashMap<>();

    /** The metadata of {@code xml}, the XML of the domain {@code name} now. */
    Optional<DomainMetadata> metadata(String name, String xml) {
        Parsed known = byName.get(name);
        if (known != null && known.xml().equals(xml)) {
            return known.metadata();
        }
        Optional<DomainMetadata> parsed = DomainMetadata.parse(xml);
        byName.put(name, new Parsed(xml, parsed));
        return parsed;
    }

    /** Forgets every domain but {@code running}. */
    void retain(Set<String> running) {
        byName.keySet().retainAll(running);
    }

    int size() {
        return byName.size();
    }
}
