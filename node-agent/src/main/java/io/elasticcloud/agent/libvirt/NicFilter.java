package io.elasticcloud.agent.libvirt;

import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/**
 * What the host lets a NIC send: a {@code <filterref>} to an nwfilter, which libvirt enforces with
 * ebtables on the hypervisor host, out of the guest's reach.
 *
 * <p>A public NIC gets {@value #PUBLIC} (ours, {@link #define defined} at the agent's start):
 * libvirt's {@code clean-traffic}, frames only from its own MAC, IPv4 and ARP only from the
 * address the API gave it ({@code dhcpIp}; without one {@value #NO_ADDRESS}, which no neighbour
 * table takes for a guest's address, so only DHCP's requests pass), no other protocol (IPv6
 * included: the public pools are IPv4), and no learning of addresses from what the guest sends
 * ({@code CTRL_IP_LEARNING none}, so the first guest to use an address does not get it): a guest
 * that takes another customer's address, answers ARP for it or changes its MAC is not heard; and
 * before it, {@value #NO_DHCP_SERVER}: nothing from UDP port 67, so a guest cannot answer its
 * neighbours' DHCP requests (with itself as their router) in the host's place. A
 * VLAN NIC gets {@value #PRIVATE}: its addresses are its customer's business on their own VLAN,
 * but a frame from another MAC would move that MAC, on the VLAN's bridge and across VXLAN, to the
 * sender.
 */
final class NicFilter {
    /** The filter of a public NIC: no DHCP server, no MAC, IP or ARP spoofing, IPv4 and ARP only. */
    static final String PUBLIC = "elastic-public";
    /** The part of {@link #PUBLIC} that drops what a guest sends from the DHCP server's port. */
    static final String NO_DHCP_SERVER = "elastic-no-dhcp-server";
    /** libvirt's filter of a VLAN NIC: frames from its own MAC only. */
    static final String PRIVATE = "no-mac-spoofing";
    /** The one source address of a public NIC that the API gave no address (DHCP's). */
    static final String NO_ADDRESS = "0.0.0.0";

    private NicFilter() {
    }

    /**
     * The filters of ours, by name, as libvirt's nwfilter XML. Fixed UUIDs, so that defining them
     * again (each agent start) updates them in place. The DHCP rule's chain runs before {@code
     * clean-traffic}'s (a chain's priority orders the jumps to it; {@code no-ip-spoofing}'s is -710,
     * and {@code clean-traffic} accepts the guest's IPv4 at -650).
     */
    static final Map<String, String> DEFINITIONS = Map.of(
            NO_DHCP_SERVER, "<filter name='" + NO_DHCP_SERVER + "' chain='ipv4-dhcpsrv' priority='-720'>"
                    + "<uuid>" + uuid(NO_DHCP_SERVER) + "</uuid>"
                    + "<rule action='drop' direction='out' priority='100'>"
                    + "<ip protocol='udp' srcportstart='67' srcportend='67'/></rule></filter>",
            PUBLIC, "<filter name='" + PUBLIC + "' chain='root'>"
                    + "<uuid>" + uuid(PUBLIC) + "</uuid>"
                    + "<filterref filter='" + NO_DHCP_SERVER + "'/><filterref filter='clean-traffic'/></filter>");

    /**
     * Defines (or redefines) our filters in libvirt, the one they refer to first. A host where this
     * fails starts no guest with a public NIC: libvirt refuses a domain whose filter does not exist.
     */
    static void define(Connect connect) throws LibvirtException {
        for (String name : List.of(NO_DHCP_SERVER, PUBLIC)) {
            connect.networkFilterDefineXML(DEFINITIONS.get(name)).free();
        }
    }

    private static UUID uuid(String name) {
        return UUID.nameUUIDFromBytes(("elastic nwfilter " + name).getBytes(StandardCharsets.US_ASCII));
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
