package io.elasticcloud.agent.libvirt;

import io.elasticcloud.agent.hypervisor.GuestSpecs;
import io.elasticcloud.agent.network.HostNetwork;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.agent.DiskBus;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Builds the libvirt domain XML of a guest from its {@link GuestSpec}. Every value is validated
 * first ({@link GuestSpecs}) and written through an {@link XMLStreamWriter}, which escapes text and
 * attributes: a server named {@code </name><devices>} is just a name.
 *
 * <p>Decisions: the domain is named {@code elastic-UUID} and has the server UUID as its own UUID,
 * so one host can never run a server twice; the customer's name lives only in the metadata
 * (libvirt restricts domain names and titles, a customer's name is free text). Devices keep the
 * API's addresses: {@code ide:B:U} is IDE bus B unit U ({@code hda}-{@code hdd}), {@code scsi:0:U}
 * is unit U of one virtio-scsi controller ({@code sda}-{@code sdh}), {@code block:N} is virtio-blk
 * {@code vdX}. A NIC on a VLAN is a bridge interface on the VLAN's own bridge ({@link
 * HostNetwork#bridge}); any other NIC joins its libvirt network; each NIC carries a traffic
 * filter against spoofing ({@link NicFilter}). Boot order is per device
 * ({@code <boot order>}), never {@code <os><boot dev>}. The CPU quota is a CFS quota per vCPU over
 * a 100 ms period: {@code mhz / hostMhz} of one host core shared by the vCPUs, at least 1 ms, and
 * none at all when the quota covers every vCPU. The drives' elements are {@link DiskXml}'s, the
 * agent's metadata {@link MetadataXml}'s.
 */
public final class DomainXml {
    /**
     * The namespace of the agent's metadata element. Version 2 added the node name (an agent owns
     * only its node's domains); an agent of version 1 does not recognize version 2 metadata at all,
     * so it can never take a newer agent's guests for orphans and destroy them.
     */
    public static final String NAMESPACE = "https://elasticcloud.io/xmlns/agent/2";
    /** A value QEMU's option parser takes as it is: no comma (its separator), no control character. */
    private static final java.util.regex.Pattern QEMU_OPTION_VALUE = java.util.regex.Pattern.compile("/[^,\\p{Cntrl}]*");
    public static final String PREFIX = "elastic";
    public static final String DOMAIN_PREFIX = "elastic-";
    public static final long PERIOD_US = 100_000;
    public static final long MIN_QUOTA_US = 1_000;
    /** libvirt's own default for {@code vnc_tls_x509_cert_dir}. */
    public static final Path DEFAULT_VNC_TLS_DIR = Path.of("/etc/pki/libvirt-vnc");
    /** libvirt's namespace for arguments it passes on to QEMU as they are. */
    public static final String QEMU_NAMESPACE = "http://libvirt.org/schemas/domain/qemu/1.0";
    /** The id of the QEMU TLS credentials object of a {@code vnc:tls on} guest. */
    public static final String VNC_TLS_CREDS = "elastic-vnc-tls";

    /**
     * What the host adds to a spec.
     *
     * @param domainType {@code kvm} or {@code qemu}
     * @param hostMhz    speed of one host core, for the CPU quota
     * @param consoleLog where the serial console is written, null for none
     * @param secrets    device key to libvirt secret UUID, for each encrypted disk
     * @param vncTlsDir  the x509 directory of this host's VNC TLS ({@code ca-cert.pem},
     *                   {@code server-cert.pem}, {@code server-key.pem}), null where VNC has no TLS
     * @param node       the agent's node name, kept in the metadata: an agent only ever touches
     *                   the domains of its own node; null for none
     */
    public record Host(String domainType, int hostMhz, Path consoleLog, Map<String, String> secrets, Path vncTlsDir,
                       String node) {
        /** A host of no node name, with VNC TLS from libvirt's default directory or none. */
        public Host(String domainType, int hostMhz, Path consoleLog, Map<String, String> secrets, boolean vncTls) {
            this(domainType, hostMhz, consoleLog, secrets, vncTls ? DEFAULT_VNC_TLS_DIR : null, null);
        }

        public boolean vncTls() {
            return vncTlsDir != null;
        }
    }

    private DomainXml() {
    }

    public static String domainName(String server) {
        return DOMAIN_PREFIX + server;
    }

    /** The libvirt target device of a drive: {@code hda}, {@code sdd}, {@code vdb}. */
    public static String targetDev(DiskSpec disk) {
        return switch (disk.bus()) {
            case IDE -> "hd" + (char) ('a' + disk.controller() * 2 + disk.unit());
            case SCSI -> "sd" + (char) ('a' + disk.unit());
            case BLOCK -> "vd" + (char) ('a' + disk.unit());
        };
    }

    /** The per-vCPU CFS quota in microseconds for {@code mhz} over {@code vcpus}, -1 for no limit. */
    public static long quotaUs(int mhz, int vcpus, int hostMhz) {
        if (hostMhz <= 0 || (long) mhz >= (long) hostMhz * vcpus) {
            return -1;
        }
        long quota = Math.round((double) PERIOD_US * mhz / ((double) hostMhz * vcpus));
        return Math.max(MIN_QUOTA_US, quota);
    }

    /**
     * What must be equal for a running guest to count as started from {@code spec}: everything but
     * the name and the CPU quota (they change live) and passphrases (never stored).
     */
    public static String fingerprint(GuestSpec spec) {
        GuestSpec comparable = new GuestSpec(spec.server(), "", new GuestSpec.CpuSpec(spec.cpu().vcpus(),
                spec.cpu().sockets(), spec.cpu().cores(), 1), spec.memoryMb(), spec.disks(), spec.nics(),
                spec.boot(), spec.vnc() == null ? null : new GuestSpec.VncSpec(spec.vnc().listen(), "", spec.vnc().tls()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(comparable.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws ElasticException {@code usage} for an invalid spec, {@code failed} for what this host cannot do */
    public static String build(GuestSpec spec, Host host) {
        GuestSpecs.validate(spec);
        if (!"kvm".equals(host.domainType()) && !"qemu".equals(host.domainType())) {
            throw new IllegalArgumentException("domain type " + host.domainType());
        }
        if (spec.vnc() != null && spec.vnc().tls() && !host.vncTls()) {
            throw ElasticException.failed("vnc:tls is not available on this host");
        }
        boolean vncTls = spec.vnc() != null && spec.vnc().tls();
        if (vncTls && !QEMU_OPTION_VALUE.matcher(host.vncTlsDir().toString()).matches()) {
            throw ElasticException.failed("the VNC TLS directory of this host cannot be given to QEMU: %s",
                    host.vncTlsDir());
        }
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out);
            x.writeStartElement("domain");
            x.writeAttribute("type", host.domainType());
            if (vncTls) {
                x.writeNamespace("qemu", QEMU_NAMESPACE);
            }
            text(x, "name", domainName(spec.server()));
            text(x, "uuid", spec.server());
            MetadataXml.write(x, spec, host);
            x.writeStartElement("memory");
            x.writeAttribute("unit", "MiB");
            x.writeCharacters(Integer.toString(spec.memoryMb()));
            x.writeEndElement();
            x.writeStartElement("vcpu");
            x.writeAttribute("placement", "static");
            x.writeCharacters(Integer.toString(spec.cpu().vcpus()));
            x.writeEndElement();
            long quota = quotaUs(spec.cpu().mhz(), spec.cpu().vcpus(), host.hostMhz());
            if (quota > 0) {
                x.writeStartElement("cputune");
                text(x, "period", Long.toString(PERIOD_US));
                text(x, "quota", Long.toString(quota));
                x.writeEndElement();
            }
            x.writeStartElement("os");
            x.writeStartElement("type");
            x.writeAttribute("arch", "x86_64");
            x.writeAttribute("machine", "pc");
            x.writeCharacters("hvm");
            x.writeEndElement();
            x.writeEndElement();
            x.writeStartElement("features");
            x.writeEmptyElement("acpi");
            x.writeEmptyElement("apic");
            x.writeEndElement();
            x.writeStartElement("cpu");
            if ("kvm".equals(host.domainType())) {
                x.writeAttribute("mode", "host-model");
            }
            x.writeEmptyElement("topology");
            x.writeAttribute("sockets", Integer.toString(spec.cpu().sockets()));
            x.writeAttribute("dies", "1");
            x.writeAttribute("cores", Integer.toString(spec.cpu().cores()));
            x.writeAttribute("threads", "1");
            x.writeEndElement();
            x.writeEmptyElement("clock");
            x.writeAttribute("offset", "utc");
            text(x, "on_poweroff", "destroy");
            text(x, "on_reboot", "restart");
            text(x, "on_crash", "destroy");
            x.writeStartElement("devices");
            List<DiskSpec> disks = spec.disks() == null ? List.of() : spec.disks();
            if (disks.stream().anyMatch(d -> d.bus() == DiskBus.SCSI)) {
                x.writeEmptyElement("controller");
                x.writeAttribute("type", "scsi");
                x.writeAttribute("index", "0");
                x.writeAttribute("model", "virtio-scsi");
            }
            List<String> boot = spec.boot() == null || spec.boot().isEmpty()
                    ? disks.stream().limit(1).map(DiskSpec::key).toList() : spec.boot();
            for (DiskSpec disk : disks) {
                DiskXml.write(x, disk, boot.indexOf(disk.key()) + 1, host.secrets());
            }
            for (NicSpec nic : spec.nics() == null ? List.<NicSpec>of() : spec.nics()) {
                x.writeStartElement("interface");
                x.writeAttribute("type", nic.vlan() != null ? "bridge" : "network");
                x.writeEmptyElement("mac");
                x.writeAttribute("address", nic.mac());
                x.writeEmptyElement("source");
                if (nic.vlan() != null) {
                    x.writeAttribute("bridge", HostNetwork.bridge(nic.vlan().vni()));
                } else {
                    x.writeAttribute("network", nic.network());
                }
                x.writeEmptyElement("model");
                x.writeAttribute("type", nic.model().apiName());
                NicFilter.write(x, nic);
                x.writeEndElement();
            }
            if (host.consoleLog() != null) {
                x.writeStartElement("serial");
                x.writeAttribute("type", "file");
                x.writeEmptyElement("source");
                x.writeAttribute("path", host.consoleLog().toString());
                x.writeAttribute("append", "off");
                x.writeEmptyElement("target");
                x.writeAttribute("port", "0");
                x.writeEndElement();
            }
            if (spec.vnc() != null) {
                x.writeStartElement("graphics");
                x.writeAttribute("type", "vnc");
                x.writeAttribute("autoport", "yes");
                x.writeAttribute("passwd", spec.vnc().password());
                x.writeEmptyElement("listen");
                x.writeAttribute("type", "address");
                x.writeAttribute("address", spec.vnc().listen());
                x.writeEndElement();
            }
            x.writeEmptyElement("memballoon");
            x.writeAttribute("model", "none");
            x.writeEndElement(); // devices
            if (vncTls) {
                vncTls(x, host.vncTlsDir());
            }
            x.writeEndElement(); // domain
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write domain XML", e);
        }
        return out.toString();
    }

    /**
     * VeNCrypt x509 for this guest alone. libvirt (9.0) knows VNC TLS only host-wide ({@code
     * vnc_tls} in qemu.conf: every guest's VNC would require TLS, and clients without VeNCrypt
     * could no longer reach {@code vnc:tls off} guests), so the guest's QEMU gets its own x509
     * credentials object and its VNC display (the options group libvirt's {@code -vnc} creates,
     * id {@code default}) is pointed at them. The password stays libvirt's: with TLS credentials
     * QEMU offers VeNCrypt X509VNC, VNC authentication inside the TLS session. libvirt marks
     * such a domain tainted ({@code custom-argv}); nothing else changes.
     */
    private static void vncTls(XMLStreamWriter x, Path dir) throws XMLStreamException {
        x.writeStartElement("qemu", "commandline", QEMU_NAMESPACE);
        for (String arg : List.of("-object", "tls-creds-x509,id=" + VNC_TLS_CREDS + ",dir=" + dir
                + ",endpoint=server,verify-peer=off", "-set", "vnc.default.tls-creds=" + VNC_TLS_CREDS)) {
            x.writeEmptyElement("qemu", "arg", QEMU_NAMESPACE);
            x.writeAttribute("value", arg);
        }
        x.writeEndElement();
    }

    private static void text(XMLStreamWriter x, String element, String value) throws XMLStreamException {
        x.writeStartElement(element);
        x.writeCharacters(value);
        x.writeEndElement();
    }
}
