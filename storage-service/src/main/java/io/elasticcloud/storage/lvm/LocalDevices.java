package io.elasticcloud.storage.lvm;

import io.elasticcloud.storage.volume.RawVolumeHandle;
import io.elasticcloud.storage.volume.VolumeHandle;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The devices of the machine this service runs on (a real storage host), opened as files. */
public final class LocalDevices implements VolumeDevices {

    @Override
    public VolumeHandle open(String device, long size) throws IOException {
        return new RawVolumeHandle(FileChannel.open(Path.of(device), StandardOpenOption.READ, StandardOpenOption.WRITE), size);
    }

    @Override
    public void release(String device) {
        // nothing serves a local device
    }

    @Override
    public void close() {
    }
}
