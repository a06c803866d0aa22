package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.network.HostNetwork;
import io.elasticcloud.codec.Ipv4;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Pattern;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The agent's public network as the agent defines it when libvirt has none of its name: isolated
 * (no {@code <forward>}: no NAT, no routing by this host), the gateway address on the host's bridge,
 * and DHCP without a dynamic range, so dnsmasq answers only the MACs the agent gave a host entry.
 * Those entries are files in {@code hostsDir}, which dnsmasq reads by itself ({@code
 * dhcp-hostsdir}, see {@link HostsDir}); the network's one {@code <host>} is a placeholder no NIC can
 * send from (MAC {@value #PLACEHOLDER_MAC}, the gateway's address), there because libvirt sets up
 * DHCP (its static range, the leases {@code virsh net-dhcp-leases} lists, authoritative answers) only
 * for a network with a host entry or a range.
 *
 * @param name     the libvirt network ({@code elastic.agent.network})
 * @param bridge   its Linux bridge, at most 15 characters
 * @param cidr     its subnet, {@code A.B.C.D/N}
 * @param gateway  the host's address on it, inside {@code cidr}
 * @param hostsDir the directory of its host entries; by default beside libvirt's own files of the
 *                 network's dnsmasq
 */
public record PublicNetwork(String name, String bridge, String cidr, String gateway, Path hostsDir) {
    static final String PLACEHOLDER_MAC = "00:00:00:00:00:00";
    static final String HOSTS_DIR_OPTION = "dhcp-hostsdir=";
    private static final String DNSMASQ_NS = "http://libvirt.org/schemas/network/dnsmasq/1.0";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,14}");

    public PublicNetwork {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("network name '" + name + "' is not a libvirt network name");
        }
        if (bridge == null || !BRIDGE.matcher(bridge).matches()) {
            throw new IllegalArgumentException("bridge '" + bridge + "' is not a Linux interface name (1-15 characters)");
        }
        String[] parts = cidr == null ? new String[0] : cidr.split("/", -1);
        if (parts.length != 2 || !HostNetwork.IPV4.matcher(parts[0]).matches() || !parts[1].matches("[0-9]{1,2}")
                || Integer.parseInt(parts[1]) < 8 || Integer.parseInt(parts[1]) > 30) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IPv4 subnet A.B.C.D/8-30");
        }
        if (gateway == null || !HostNetwork.IPV4.matcher(gateway).matches()
                || !Ipv4.of(parts[0]).sameSubnet(Ipv4.of(gateway), Integer.parseInt(parts[1]))) {
            throw new IllegalArgumentException("gateway '" + gateway + "' is not an address in " + cidr);
        }
        if (hostsDir == null || !hostsDir.isAbsolute() || hostsDir.toString().contains("\n")) {
            throw new IllegalArgumentException("'" + hostsDir + "' is not an absolute directory");
        }
    }

    /** The network with its host entries beside libvirt's files: {@code /var/lib/libvirt/dnsmasq/NAME.hostsdir}. */
    public PublicNetwork(String name, String bridge, String cidr, String gateway) {
        this(name, bridge, cidr, gateway, Path.of("/var/lib/libvirt/dnsmasq", name + ".hostsdir"));
    }

    public int prefix() {
        return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    }

    /** The libvirt network XML the agent defines. */
    public String xml() {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out);
            x.writeStartElement("network");
            x.writeNamespace("dnsmasq", DNSMASQ_NS);
            x.writeStartElement("name");
            x.writeCharacters(name);
            x.writeEndElement();
            x.writeEmptyElement("bridge");
            x.writeAttribute("name", bridge);
            x.writeAttribute("stp", "off");
            x.writeStartElement("ip");
            x.writeAttribute("address", gateway);
            x.writeAttribute("prefix", Integer.toString(prefix()));
            x.writeStartElement("dhcp");
            x.writeEmptyElement("host");
            x.writeAttribute("mac", PLACEHOLDER_MAC);
            x.writeAttribute("ip", gateway);
            x.writeEndElement();
            x.writeEndElement();
            x.writeStartElement("dnsmasq", "options", DNSMASQ_NS);
            x.writeEmptyElement("dnsmasq", "option", DNSMASQ_NS);
            x.writeAttribute("value", HOSTS_DIR_OPTION + hostsDir);
            x.writeEndElement();
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
