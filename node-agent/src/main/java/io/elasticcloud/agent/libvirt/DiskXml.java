package io.elasticcloud.agent.libvirt;

import io.elasticcloud.protocol.agent.DiskBus;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.Media;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.storage.Cipher;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The {@code <disk>} element of one drive: a volume on this host by its file, one of another
 * storage host through its NBD export (over TLS with this host's client certificate when the
 * export requires it); a LUKS volume with its libvirt secret (the guest's QEMU decrypts it, over
 * NBD too); at the API's address ({@link DomainXml#targetDev}); read-only drives
 * shareable, so that the owner's guest may write the same volume beside them.
 */
final class DiskXml {
    private DiskXml() {
    }

    /**
     * @param bootOrder the drive's place in the boot order, from 1; 0 for none
     * @param secrets   device key to libvirt secret UUID, for each encrypted disk
     */
    static void write(XMLStreamWriter x, DiskSpec disk, int bootOrder, Map<String, String> secrets)
            throws XMLStreamException {
        NbdExport nbd = disk.volume().nbd();
        x.writeStartElement("disk");
        // a volume on this host by path; one of another storage host through its NBD export
        x.writeAttribute("type", nbd != null ? "network" : "file");
        x.writeAttribute("device", disk.media() == Media.CDROM ? "cdrom" : "disk");
        x.writeEmptyElement("driver");
        x.writeAttribute("name", "qemu");
        x.writeAttribute("type", "raw");
        boolean encrypted = disk.volume().cipher() != Cipher.NONE;
        x.writeStartElement("source");
        if (nbd != null) {
            x.writeAttribute("protocol", "nbd");
            x.writeAttribute("name", nbd.export());
            // as the export speaks, whatever qemu.conf's nbd_tls says: libvirt gives qemu the
            // client certificate of nbd_tls_x509_cert_dir for tls='yes'
            x.writeAttribute("tls", nbd.tls() ? "yes" : "no");
            x.writeEmptyElement("host");
            x.writeAttribute("name", nbd.host());
            x.writeAttribute("port", Integer.toString(nbd.port()));
        } else {
            x.writeAttribute("file", disk.volume().path());
        }
        if (encrypted) {
            // over NBD too: the export carries the LUKS bytes, this guest's qemu decrypts them
            String secret = secrets.get(disk.key());
            if (secret == null) {
                throw new IllegalArgumentException("no secret for encrypted " + disk.key());
            }
            x.writeStartElement("encryption");
            x.writeAttribute("format", "luks");
            x.writeEmptyElement("secret");
            x.writeAttribute("type", "passphrase");
            x.writeAttribute("uuid", secret);
            x.writeEndElement();
        }
        x.writeEndElement(); // source
        x.writeEmptyElement("target");
        x.writeAttribute("dev", DomainXml.targetDev(disk));
        x.writeAttribute("bus", disk.bus() == DiskBus.BLOCK ? "virtio" : disk.bus().name().toLowerCase(Locale.ROOT));
        if (disk.readOnly()) {
            // the guest cannot write it, whatever the bus; shareable (share-rw) lets the owner's
            // guest open the same volume writable beside it, and this one beside the owner's
            x.writeEmptyElement("readonly");
            x.writeEmptyElement("shareable");
        }
        if (bootOrder > 0) {
            x.writeEmptyElement("boot");
            x.writeAttribute("order", Integer.toString(bootOrder));
        }
        if (disk.bus() != DiskBus.BLOCK) {
            x.writeEmptyElement("address");
            x.writeAttribute("type", "drive");
            x.writeAttribute("controller", "0");
            x.writeAttribute("bus", Integer.toString(disk.bus() == DiskBus.IDE ? disk.controller() : 0));
            x.writeAttribute("target", "0");
            x.writeAttribute("unit", Integer.toString(disk.unit()));
        }
        x.writeEndElement();
    }
}
