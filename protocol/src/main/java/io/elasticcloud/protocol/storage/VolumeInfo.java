package io.elasticcloud.protocol.storage;

/**
 * A volume as its storage node sees it.
 *
 * @param size           usable size in bytes (what the drive shows)
 * @param allocatedBytes bytes the volume really occupies on the node's disk (sparse files)
 */
public record VolumeInfo(String volume, long size, Cipher cipher, long allocatedBytes) {
}
