package io.elasticcloud.agent.libvirt;

import io.elasticcloud.protocol.agent.NbdExport;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * What the agent reads back from a domain's XML: its own metadata element (server UUID, name,
 * quota, spec fingerprint, device keys, secrets, console, and the node name of the agent that
 * started it), the VNC port libvirt chose and the sources of the disks the guest may write
 * ({@code writableSources}: paths, and NBD exports as {@link NbdExport#uri()}; a {@code <readonly/>}
 * disk is left out: it shares its volume with the one writer). A domain without the agent's metadata is not the
 * agent's: {@link #parse} answers empty for it.
 */
public record DomainMetadata(String server, String name, int cpuMhz, String spec, List<Disk> disks, List<Nic> nics,
                             String console, int vncPort, int sockets, int cores, List<String> writableSources,
                             String node) {

    public record Disk(String key, String target, String secret) {
    }

    /**
     * @param network the libvirt network it joined, null for a VLAN's bridge
     * @param dhcpIp  the address its network's DHCP offers it, null for none
     * @param vni     the VLAN's VNI it joined, 0 for none
     */
    public record Nic(int index, String mac, String network, String dhcpIp, int vni) {
    }

    public static Optional<DomainMetadata> parse(String domainXml) {
        Document doc;
        try {
            // the JDK's own parser: newInstance() would search the class path for another at every call
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            doc = builder.parse(new InputSource(new StringReader(domainXml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("unreadable domain XML: " + e.getMessage(), e);
        }
        NodeList guests = doc.getElementsByTagNameNS(DomainXml.NAMESPACE, "guest");
        if (guests.getLength() == 0) {
            return Optional.empty();
        }
        Element guest = (Element) guests.item(0);
        String server = text(guest, "server");
        if (server == null) {
            return Optional.empty();
        }
        List<Disk> disks = new ArrayList<>();
        NodeList diskNodes = guest.getElementsByTagNameNS(DomainXml.NAMESPACE, "disk");
        for (int i = 0; i < diskNodes.getLength(); i++) {
            Element d = (Element) diskNodes.item(i);
            disks.add(new Disk(d.getAttribute("key"), d.getAttribute("target"),
                    d.hasAttribute("secret") ? d.getAttribute("secret") : null));
        }
        List<Nic> nics = new ArrayList<>();
        NodeList nicNodes = guest.getElementsByTagNameNS(DomainXml.NAMESPACE, "nic");
        for (int i = 0; i < nicNodes.getLength(); i++) {
            Element n = (Element) nicNodes.item(i);
            nics.add(new Nic(Integer.parseInt(n.getAttribute("index")), n.getAttribute("mac"), attribute(n, "network"),
                    attribute(n, "dhcp"), n.hasAttribute("vni") ? Integer.parseInt(n.getAttribute("vni")) : 0));
        }
        int vncPort = 0;
        NodeList graphics = doc.getElementsByTagName("graphics");
        for (int i = 0; i < graphics.getLength(); i++) {
            Element g = (Element) graphics.item(i);
            if ("vnc".equals(g.getAttribute("type")) && !g.getAttribute("port").isEmpty()) {
                vncPort = Math.max(0, Integer.parseInt(g.getAttribute("port")));
            }
        }
        int sockets = 1;
        int cores = 1;
        NodeList topology = doc.getElementsByTagName("topology");
        if (topology.getLength() > 0) {
            Element t = (Element) topology.item(0);
            sockets = Integer.parseInt(t.getAttribute("sockets"));
            cores = Integer.parseInt(t.getAttribute("cores"));
        }
        List<String> files = new ArrayList<>();
        NodeList sources = doc.getElementsByTagName("source");
        for (int i = 0; i < sources.getLength(); i++) {
            Element source = (Element) sources.item(i);
            if (source.getParentNode() instanceof Element disk && disk.getElementsByTagName("readonly").getLength() > 0) {
                continue;
            }
            if ("disk".equals(source.getParentNode().getNodeName()) && source.hasAttribute("file")) {
                files.add(source.getAttribute("file"));
            } else if ("disk".equals(source.getParentNode().getNodeName()) && "nbd".equals(source.getAttribute("protocol"))) {
                NodeList hosts = source.getElementsByTagName("host");
                if (hosts.getLength() > 0) {
                    Element host = (Element) hosts.item(0);
                    files.add(new NbdExport(host.getAttribute("name"), Integer.parseInt(host.getAttribute("port")),
                            source.getAttribute("name")).uri());
                }
            }
        }
        String mhz = text(guest, "cpu-mhz");
        return Optional.of(new DomainMetadata(server, text(guest, "name"), mhz == null ? 0 : Integer.parseInt(mhz),
                text(guest, "spec"), List.copyOf(disks), List.copyOf(nics), text(guest, "console"), vncPort,
                sockets, cores, List.copyOf(files), text(guest, "node")));
    }

    private static String attribute(Element element, String name) {
        return element.hasAttribute(name) ? element.getAttribute(name) : null;
    }

    private static String text(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagNameNS(DomainXml.NAMESPACE, name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }
}
