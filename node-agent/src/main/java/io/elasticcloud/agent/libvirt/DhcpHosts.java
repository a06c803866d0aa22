package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.network.CommandRunner;
import io.elasticcloud.codec.Ipv4;
import io.elasticcloud.protocol.ElasticException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * The DHCP host entries of libvirt networks, and the agent's public network, defined when it is
 * missing. The network's dnsmasq offers an address only to the MACs it has an entry for when the
 * network has no {@code <range>}: that is how the agent's own public network is made. A network
 * whose dnsmasq reads a directory of entries ({@code dhcp-hostsdir} in its {@code
 * <dnsmasq:options>}, as in the network the agent defines) has them there ({@link HostsDir}, tens of
 * milliseconds); any other has them as {@code <ip><dhcp><host mac ip/>}, changed live and in the
 * stored definition with {@code virNetworkUpdate}, which restarts dnsmasq (seconds).
 */
final class DhcpHosts {
    private static final Logger log = LoggerFactory.getLogger(DhcpHosts.class);

    /** One host entry: dnsmasq offers {@code ip} to {@code mac}. */
    record Entry(String mac, String ip) {
    }

    private final Connect connect;
    private final CommandRunner runner;

    /** @param runner runs {@code dhcp_release} on this host */
    DhcpHosts(Connect connect, CommandRunner runner) {
        this.connect = connect;
        this.runner = runner;
    }

    /**
     * Makes the public network exist and run: defined (persistent, autostarted) from {@code network}
     * when libvirt has none of that name, started when it is defined but inactive. An existing
     * network is used as it is; one that hands out a dynamic range is logged, for it offers
     * addresses to guests without {@code nic:0:dhcp}.
     */
    void ensure(PublicNetwork network) {
        Network found = lookup(network.name()).orElse(null);
        try {
            if (found == null) {
                HostsDir.create(network.hostsDir());
                try {
                    found = connect.networkDefineXML(network.xml());
                    found.setAutostart(true);
                    log.info("public network {} defined: bridge {}, {} gateway {}, DHCP for host entries only",
                            network.name(), network.bridge(), network.cidr(), network.gateway());
                } catch (LibvirtException e) {
                    // defined meanwhile by someone else?
                    found = lookup(network.name()).orElseThrow(() -> ElasticException.system(
                            "public network %s cannot be defined: %s", network.name(), LibvirtHypervisor.message(e)));
                }
            }
            if (found.isActive() != 1) {
                // dnsmasq does not start without its directory (gone with a wiped /var/lib?)
                hostsDir(parse(found.getXMLDesc(0))).ifPresent(HostsDir::create);
                try {
                    found.create();
                } catch (LibvirtException e) {
                    if (found.isActive() != 1) {
                        throw e;
                    }
                }
            }
            if (found.getXMLDesc(0).contains("<range ")) {
                log.warn("network {} has a DHCP range: guests without nic:0:dhcp get an address from it too", network.name());
            }
        } catch (LibvirtException e) {
            throw ElasticException.system("public network %s cannot be started: %s", network.name(),
                    LibvirtHypervisor.message(e));
        }
    }

    /** The host entries of {@code network} (empty when libvirt has no such network). */
    List<Entry> entries(String network) {
        Optional<Network> found = lookup(network);
        if (found.isEmpty()) {
            return List.of();
        }
        return entries(network, parse(xml(found.get())));
    }

    /** The host entries of {@code network}, whose XML is {@code doc}. */
    private List<Entry> entries(String network, Document doc) {
        Optional<Path> dir = hostsDir(doc);
        if (dir.isPresent()) {
            return new HostsDir(network, dir.get(), runner).entries();
        }
        List<Entry> entries = new ArrayList<>();
        NodeList hosts = doc.getElementsByTagName("host");
        for (int i = 0; i < hosts.getLength(); i++) {
            Element host = (Element) hosts.item(i);
            if ("dhcp".equals(host.getParentNode().getNodeName()) && host.hasAttribute("mac") && host.hasAttribute("ip")) {
                Entry entry = new Entry(host.getAttribute("mac").toLowerCase(java.util.Locale.ROOT), host.getAttribute("ip"));
                if (!entry.mac().equals(PublicNetwork.PLACEHOLDER_MAC)) {
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    /**
     * Adds a host entry.
     *
     * @throws ElasticException {@code failed} when the network does not exist, has no IPv4 subnet
     *                          holding the address, or libvirt refuses
     */
    void add(String network, Entry entry) {
        Network found = lookup(network).orElseThrow(
                () -> ElasticException.failed("network %s does not exist on this host", network));
        Document doc = parse(xml(found));
        if (!servesDhcpFor(doc, entry.ip())) {
            throw ElasticException.failed("network %s has no subnet holding %s", network, entry.ip());
        }
        Optional<Path> dir = hostsDir(doc);
        if (dir.isPresent()) {
            new HostsDir(network, dir.get(), runner).add(entry);
        } else {
            update(found, NetworkUpdate.COMMAND_ADD_LAST, entry);
        }
        log.info("network {}: DHCP host entry {} -> {}", network, entry.mac(), entry.ip());
    }

    /**
     * Removes a host entry, and the lease dnsmasq still keeps for it (else dnsmasq would refuse the
     * address to the next MAC given it until the lease expires, an hour later); nothing if the
     * network or the entry is gone.
     */
    void remove(String network, Entry entry) {
        Optional<Network> found = lookup(network);
        if (found.isEmpty()) {
            return;
        }
        Document doc = parse(xml(found.get()));
        if (!entries(network, doc).contains(entry)) {
            return;
        }
        // first the lease: without its last host entry libvirt restarts dnsmasq with DHCP off, and a
        // release would then go unheard
        try {
            release(found.get().getBridgeName(), entry);
        } catch (LibvirtException e) {
            log.warn("network {}: lease of {} not released: {}", network, entry.ip(), LibvirtHypervisor.message(e));
        }
        Optional<Path> dir = hostsDir(doc);
        if (dir.isPresent()) {
            new HostsDir(network, dir.get(), runner).remove(entry);
        } else {
            update(found.get(), NetworkUpdate.COMMAND_DELETE, entry);
        }
        log.info("network {}: DHCP host entry {} -> {} removed", network, entry.mac(), entry.ip());
    }

    /**
     * Sends dnsmasq a DHCPRELEASE for the lease ({@code dhcp_release}, package dnsmasq-utils). dnsmasq
     * finds a lease by the client identifier the guest sent: tried with the usual one (type 1 and the
     * MAC, as busybox, dhclient and Windows send) and with none. A guest whose client sends another
     * (a DUID) keeps its lease until it expires.
     */
    private void release(String bridge, Entry entry) {
        if (bridge == null || bridge.isEmpty()) {
            return;
        }
        for (List<String> command : List.of(
                List.of("dhcp_release", bridge, entry.ip(), entry.mac(), "01:" + entry.mac()),
                List.of("dhcp_release", bridge, entry.ip(), entry.mac()))) {
            CommandRunner.Result result = runner.run(command);
            if (!result.ok()) {
                log.warn("lease of {} on {} not released ({}): {}", entry.ip(), bridge, String.join(" ", command),
                        result.error());
                return;
            }
        }
    }

    private void update(Network network, int command, Entry entry) {
        try {
            NetworkUpdate.update(network, command, NetworkUpdate.SECTION_IP_DHCP_HOST, hostXml(entry),
                    network.isPersistent() == 1);
        } catch (LibvirtException | IllegalStateException e) {
            String why = e instanceof LibvirtException le ? LibvirtHypervisor.message(le) : e.getMessage();
            throw ElasticException.failed("DHCP host entry %s -> %s not changed: %s", entry.mac(), entry.ip(), why);
        }
    }

    /** The directory of host entries the network's dnsmasq reads ({@code dhcp-hostsdir=DIR}), if any. */
    static Optional<Path> hostsDir(Document network) {
        NodeList options = network.getElementsByTagName("dnsmasq:option");
        for (int i = 0; i < options.getLength(); i++) {
            String value = ((Element) options.item(i)).getAttribute("value");
            if (value.startsWith(PublicNetwork.HOSTS_DIR_OPTION)) {
                return Optional.of(Path.of(value.substring(PublicNetwork.HOSTS_DIR_OPTION.length())));
            }
        }
        return Optional.empty();
    }

    /** Whether an IPv4 {@code <ip>} of the network holds {@code ip}. */
    static boolean servesDhcpFor(Document network, String ip) {
        NodeList ips = network.getElementsByTagName("ip");
        for (int i = 0; i < ips.getLength(); i++) {
            Element element = (Element) ips.item(i);
            // no <dhcp> yet is fine: libvirt keeps none while a network has no host entry, and
            // the first entry turns DHCP on for its subnet
            if (!"network".equals(element.getParentNode().getNodeName())) {
                continue;
            }
            String family = element.getAttribute("family");
            if (!family.isEmpty() && !family.equals("ipv4")) {
                continue;
            }
            int prefix;
            if (element.hasAttribute("prefix")) {
                prefix = Integer.parseInt(element.getAttribute("prefix"));
            } else if (element.hasAttribute("netmask")) {
                prefix = Long.bitCount(Ipv4.of(element.getAttribute("netmask")).value());
            } else {
                prefix = 24;
            }
            if (Ipv4.of(element.getAttribute("address")).sameSubnet(Ipv4.of(ip), prefix)) {
                return true;
            }
        }
        return false;
    }

    static String hostXml(Entry entry) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out);
            x.writeEmptyElement("host");
            x.writeAttribute("mac", entry.mac());
            x.writeAttribute("ip", entry.ip());
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private Optional<Network> lookup(String name) {
        try {
            return Optional.of(connect.networkLookupByName(name));
        } catch (LibvirtException e) {
            return Optional.empty();
        }
    }

    private static String xml(Network network) {
        try {
            return network.getXMLDesc(0);
        } catch (LibvirtException e) {
            throw ElasticException.failed("network unreadable: %s", LibvirtHypervisor.message(e));
        }
    }

    static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new IllegalArgumentException("unreadable network XML: " + e.getMessage(), e);
        }
    }
}
