package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.Events.ImagingProgress;
import io.elasticcloud.protocol.Events.StorageNodeHeartbeat;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.Conversion;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DestroyVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ImportVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ListVolumes;
import io.elasticcloud.protocol.storage.StorageCommands.ResizeVolume;
import io.elasticcloud.protocol.storage.StorageCommands.VolumeList;
import io.elasticcloud.protocol.storage.VolumeInfo;
import io.elasticcloud.protocol.storage.VolumeRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One realistic instance of every message type the bus carries. The tests iterate the codec's
 * registry, not this table, so a new command, reply or event without a sample here fails them.
 */
final class SampleMessages {
    private SampleMessages() {
    }

    private static final long GIB = 1L << 30;
    private static final String VOLUME = "0c2b5e9a-6f1d-4d8e-9b61-2f0f3c7a1d42";
    private static final String TARGET = "7e0d4a11-93b7-4c55-8f0e-5d8a7b2c9e10";

    private static final NodeStatus NODE_STATUS = new NodeStatus("store-a", "nvme-S4EWNX0R123456", 4096 * GIB, 1536 * GIB);
    private static final VolumeInfo VOLUME_INFO = new VolumeInfo(VOLUME, 10 * GIB, Cipher.AES_XTS_PLAIN, 3 * 1024 * 1024);

    private static final Map<Class<?>, Object> SAMPLES = Stream.of(
            new CreateVolume("cmd-create-1", VOLUME, 10 * GIB, Cipher.AES_XTS_PLAIN),
            new ResizeVolume("cmd-resize-1", VOLUME, 20 * GIB),
            new DestroyVolume("cmd-destroy-1", VOLUME),
            new DescribeVolume("cmd-describe-1", VOLUME),
            new ListVolumes("cmd-list-1"),
            new ImageVolume("cmd-image-1", "job-9f3c", TARGET, new VolumeRef("store-b", VOLUME), 2 * GIB + 17,
                    Conversion.GUNZIP),
            new ImportVolume("cmd-import-1", TARGET, "/var/lib/elastic/library/debian-12-amd64.img.gz", Cipher.NONE),
            new DescribeNode("cmd-node-1"),
            VOLUME_INFO,
            new VolumeList(List.of(VOLUME_INFO, new VolumeInfo(TARGET, 2 * GIB, Cipher.NONE, 0))),
            NODE_STATUS,
            Done.INSTANCE,
            new ErrorReply(ErrorType.BUSY, "drive " + VOLUME + " is busy imaging"),
            new StorageNodeHeartbeat(NODE_STATUS, Instant.parse("2025-03-01T12:00:00.123456789Z")),
            new ImagingProgress("store-a", "job-9f3c", TARGET, 42),
            new ImagingFinished("store-a", "job-9f3c", TARGET, ErrorType.FULL, "drive " + TARGET + " is full"))
            .collect(Collectors.toMap(Object::getClass, sample -> sample));

    static <T> T of(Class<T> type) {
        Object sample = SAMPLES.get(type);
        if (sample == null) {
            throw new AssertionError("no sample message for " + type.getName() + ": add one to SampleMessages");
        }
        return type.cast(sample);
    }
}
