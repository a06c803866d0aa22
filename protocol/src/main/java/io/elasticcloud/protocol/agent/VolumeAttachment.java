package io.elasticcloud.protocol.agent;

import io.elasticcloud.protocol.storage.Cipher;

/**
 * How a guest reaches a drive's volume. Today a path on the agent's host (the storage node is in
 * the same host or shares the filesystem); an NBD export is the next kind.
 *
 * @param volume     the volume's id on its storage node (for messages and bookkeeping)
 * @param path       absolute path of the volume file on this host
 * @param cipher     how the bytes are kept: {@code none} (raw) or qemu LUKS1
 * @param passphrase the LUKS passphrase for an encrypted volume (printable, as the storage node
 *                   hands it out), null otherwise. It lives on the host only as a private
 *                   ephemeral libvirt secret while the guest runs, and never in a log line.
 */
public record VolumeAttachment(String volume, String path, Cipher cipher, String passphrase) {
    @Override
    public String toString() {
        return "VolumeAttachment[volume=" + volume + ", path=" + path + ", cipher=" + cipher
                + (passphrase == null ? "" : ", passphrase=(hidden)") + "]";
    }
}
