package io.elasticcloud.protocol.agent;

/**
 * A volume served over the network by its storage node: an NBD export of the volume file's bytes
 * as they are kept (an encrypted volume stays LUKS on the wire; the guest's QEMU decrypts it with
 * the passphrase of its {@link VolumeAttachment}).
 *
 * @param host   the storage host's address (name or IP) the export listens on
 * @param port   its TCP port
 * @param export the export's name ({@code nbd://HOST:PORT/EXPORT})
 */
public record NbdExport(String host, int port, String export) {

    /** The export as an NBD URI, for messages and for comparing attachments. */
    public String uri() {
        String h = host != null && host.contains(":") ? "[" + host + "]" : host;
        return "nbd://" + h + ":" + port + "/" + export;
    }
}
