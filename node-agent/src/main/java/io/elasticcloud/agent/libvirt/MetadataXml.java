package io.elasticcloud.agent.libvirt;

import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The agent's own {@code <metadata>} element of a domain ({@link DomainXml#NAMESPACE}): what the
 * agent needs back from a running guest that libvirt's XML does not say, or says otherwise (the
 * server, its node, the customer's name, the CPU quota, the spec's fingerprint, the device keys
 * with their targets and secrets, the NICs' networks and DHCP addresses, the console log).
 * {@link DomainMetadata#parse} reads it back.
 */
final class MetadataXml {
    private MetadataXml() {
    }

    static void write(XMLStreamWriter x, GuestSpec spec, DomainXml.Host host) throws XMLStreamException {
        x.writeStartElement("metadata");
        x.writeStartElement(DomainXml.PREFIX, "guest", DomainXml.NAMESPACE);
        x.writeNamespace(DomainXml.PREFIX, DomainXml.NAMESPACE);
        nsText(x, "server", spec.server());
        if (host.node() != null) {
            nsText(x, "node", host.node());
        }
        nsText(x, "name", spec.name());
        nsText(x, "cpu-mhz", Integer.toString(spec.cpu().mhz()));
        nsText(x, "spec", DomainXml.fingerprint(spec));
        for (DiskSpec disk : spec.disks() == null ? List.<DiskSpec>of() : spec.disks()) {
            x.writeEmptyElement(DomainXml.PREFIX, "disk", DomainXml.NAMESPACE);
            x.writeAttribute("key", disk.key());
            x.writeAttribute("target", DomainXml.targetDev(disk));
            String secret = host.secrets().get(disk.key());
            if (secret != null) {
                x.writeAttribute("secret", secret);
            }
        }
        for (NicSpec nic : spec.nics() == null ? List.<NicSpec>of() : spec.nics()) {
            x.writeEmptyElement(DomainXml.PREFIX, "nic", DomainXml.NAMESPACE);
            x.writeAttribute("index", Integer.toString(nic.index()));
            x.writeAttribute("mac", nic.mac());
            if (nic.vlan() != null) {
                x.writeAttribute("vlan", nic.vlan().id());
                x.writeAttribute("vni", Integer.toString(nic.vlan().vni()));
            } else {
                x.writeAttribute("network", nic.network());
            }
            if (nic.dhcpIp() != null) {
                x.writeAttribute("dhcp", nic.dhcpIp());
            }
        }
        if (host.consoleLog() != null) {
            nsText(x, "console", host.consoleLog().toString());
        }
        x.writeEndElement();
        x.writeEndElement();
    }

    private static void nsText(XMLStreamWriter x, String element, String value) throws XMLStreamException {
        x.writeStartElement(DomainXml.PREFIX, element, DomainXml.NAMESPACE);
        x.writeCharacters(value);
        x.writeEndElement();
    }
}
