package io.elasticcloud.protocol.agent;

import io.elasticcloud.protocol.storage.Cipher;

/**
 * How a guest reaches a drive's volume: by {@code path} when the volume's storage node is on the
 * guest's host, or through the {@code nbd} export of a storage node on another host; exactly one
 * of the two is set. The guest sees the same disk either way.
 *
 * @param volume     the volume's id on its storage node (for messages and bookkeeping)
 * @param path       absolute path of the volume file on the guest's host; null for an NBD export
 * @param cipher     how the bytes are kept: {@code none} (raw) or qemu LUKS1 (also over NBD: the
 *                   export carries the encrypted bytes, the guest's QEMU decrypts them)
 * @param passphrase the LUKS passphrase for an encrypted volume (printable, as the storage node
 *                   hands it out), null otherwise. It lives on the host only as a private
 *                   ephemeral libvirt secret while the guest runs, and never in a log line.
 * @param nbd        the storage node's NBD export of the volume; null for a local path
 */
public record VolumeAttachment(String volume, String path, Cipher cipher, String passphrase, NbdExport nbd) {

    /** A volume reached by its local path (the storage node is on the guest's host). */
    public VolumeAttachment(String volume, String path, Cipher cipher, String passphrase) {
        this(volume, path, cipher, passphrase, null);
    }

    /** What identifies the volume's bytes on the host: its path, or the export's NBD URI. */
    public String source() {
        return nbd != null ? nbd.uri() : path;
    }

    @Override
    public String toString() {
        return "VolumeAttachment[volume=" + volume + ", " + (nbd != null ? "nbd=" + nbd.uri() : "path=" + path)
                + ", cipher=" + cipher + (passphrase == null ? "" : ", passphrase=(hidden)") + "]";
    }
}
