package io.elasticcloud.agent.libvirt;

import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * What the host lets a NIC send: a {@code <filterref>} to one of libvirt's own nwfilters, which
 * libvirt enforces with ebtables on the hypervisor host, out of the guest's reach.
 *
 * <p>A public NIC gets {@value #PUBLIC}: frames only from its own MAC, IPv4 and ARP only from the
 * address the API gave it ({@code dhcpIp}; without one {@value #NO_ADDRESS}, which no neighbour
 * table takes for a guest's address, so only DHCP's requests pass), no other protocol (IPv6
 * included: the public pools are IPv4), and no learning of addresses from what the guest sends
 * ({@code CTRL_IP_LEARNING none}, so the first guest to use an address does not get it): a guest
 * that takes another customer's address, answers ARP for it or changes its MAC is not heard. A
 * VLAN NIC gets {@value #PRIVATE}: its addresses are its customer's business on their own VLAN,
 * but a frame from another MAC would move that MAC, on the VLAN's bridge and across VXLAN, to the
 * sender.
 */
final class NicFilter {
    /** libvirt's filter of a public NIC: no MAC, IP or ARP spoofing, IPv4 and ARP only. */
    static final String PUBLIC = "clean-traffic";
    /** libvirt's filter of a VLAN NIC: frames from its own MAC only. */
    static final String PRIVATE = "no-mac-spoofing";
    /** The one source address of a public NIC that the API gave no address (DHCP's). */
    static final String NO_ADDRESS = "0.0.0.0";

    private NicFilter() {
    }

    /** Writes the filter of {@code nic} inside its {@code <interface>}. */
    static void write(XMLStreamWriter x, NicSpec nic) throws XMLStreamException {
        if (nic.vlan() != null) {
            x.writeEmptyElement("filterref");
            x.writeAttribute("filter", PRIVATE);
            return;
        }
        x.writeStartElement("filterref");
        x.writeAttribute("filter", PUBLIC);
        parameter(x, "IP", nic.dhcpIp() != null ? nic.dhcpIp() : NO_ADDRESS);
        parameter(x, "CTRL_IP_LEARNING", "none");
        x.writeEndElement();
    }

    private static void parameter(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeEmptyElement("parameter");
        x.writeAttribute("name", name);
        x.writeAttribute("value", value);
    }
}
