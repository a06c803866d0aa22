package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.network.HostNetwork;
import io.elasticcloud.codec.Ipv4;
import java.io.StringWriter;
import java.util.regex.Pattern;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The agent's public network as the agent defines it when libvirt has none of its name: isolated
 * (no {@code <forward>}: no NAT, no routing by this host), the gateway address on the host's bridge,
 * and DHCP without a dynamic range, so dnsmasq answers only the MACs the agent gave a host entry.
 *
 * @param name    the libvirt network ({@code elastic.agent.network})
 * @param bridge  its Linux bridge, at most 15 characters
 * @param cidr    its subnet, {@code A.B.C.D/N}
 * @param gateway the host's address on it, inside {@code cidr}
 */
public record PublicNetwork(String name, String bridge, String cidr, String gateway) {
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
            x.writeStartElement("name");
            x.writeCharacters(name);
            x.writeEndElement();
            x.writeEmptyElement("bridge");
            x.writeAttribute("name", bridge);
            x.writeAttribute("stp", "off");
            x.writeStartElement("ip");
            x.writeAttribute("address", gateway);
            x.writeAttribute("prefix", Integer.toString(prefix()));
            // no <dhcp> (libvirt would drop an empty one): the first host entry adds it, with no <range>
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
