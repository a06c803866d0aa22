package io.elasticcloud.protocol.agent;

/**
 * A volume served over the network by its storage node: an NBD export of the volume file's bytes
 * as they are kept (an encrypted volume stays LUKS on the wire; the guest's QEMU decrypts it with
 * the passphrase of its {@link VolumeAttachment}).
 *
 * @param host   the storage host's address (name or IP) the export listens on
 * @param port   its TCP port
 * @param export the export's name ({@code nbd://HOST:PORT/EXPORT})
 * @param tls    the export speaks only TLS and admits only a client whose certificate the
 *               storage network's CA signed ({@code elastic.storage.nbd.tls-dir}): the guest's
 *               host connects with its client certificate. Absent (a sender older than TLS
 *               exports): false.
 */
public record NbdExport(String host, int port, String export, Boolean tls) {
    public NbdExport {
        tls = Boolean.TRUE.equals(tls);
    }

    /** An export without TLS. */
    public NbdExport(String host, int port, String export) {
        this(host, port, export, false);
    }

    /**
     * The export as an NBD URI, for messages and for comparing attachments: the same export with
     * or without TLS is the same volume, so the URI names no TLS.
     */
    public String uri() {
        String h = host != null && host.contains(":") ? "[" + host + "]" : host;
        return "nbd://" + h + ":" + port + "/" + export;
    }
}
