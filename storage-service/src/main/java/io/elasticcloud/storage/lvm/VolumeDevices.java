package io.elasticcloud.storage.lvm;

import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;

/**
 * How the storage service reaches the bytes of a block device on its storage host: directly when
 * it runs there ({@link LocalDevices}), over NBD exports served inside a storage box ({@link
 * BoxDevices}). Either way the device is the kernel's: an opened dm-crypt mapping does the crypto.
 */
public interface VolumeDevices extends AutoCloseable {

    /**
     * Opens the first {@code size} bytes of {@code device} (a path on the storage host) for
     * reading and writing at offsets; reads end at {@code size}, writes past it are {@code full}.
     */
    VolumeHandle open(String device, long size) throws IOException;

    /** Stops serving {@code device} (its volume is being destroyed or closed); not served is fine. */
    void release(String device) throws IOException;

    @Override
    void close();
}
