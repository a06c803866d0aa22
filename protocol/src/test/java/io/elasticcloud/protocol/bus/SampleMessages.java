package io.elasticcloud.protocol.bus;

import io.elasticcloud.protocol.Done;
import io.elasticcloud.protocol.ErrorType;
import io.elasticcloud.protocol.Events.AgentHeartbeat;
import io.elasticcloud.protocol.Events.GuestStateChanged;
import io.elasticcloud.protocol.Events.ImagingFinished;
import io.elasticcloud.protocol.Events.ImagingProgress;
import io.elasticcloud.protocol.Events.StorageNodeHeartbeat;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuest;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeGuests;
import io.elasticcloud.protocol.agent.AgentCommands.DescribeHost;
import io.elasticcloud.protocol.agent.AgentCommands.DestroyGuest;
import io.elasticcloud.protocol.agent.AgentCommands.GuestList;
import io.elasticcloud.protocol.agent.AgentCommands.ListGuests;
import io.elasticcloud.protocol.agent.AgentCommands.ResetGuest;
import io.elasticcloud.protocol.agent.AgentCommands.SetGuestLive;
import io.elasticcloud.protocol.agent.AgentCommands.ShutdownGuest;
import io.elasticcloud.protocol.agent.AgentCommands.StartGuest;
import io.elasticcloud.protocol.agent.AgentCommands.StopGuest;
import io.elasticcloud.protocol.agent.DiskBus;
import io.elasticcloud.protocol.agent.GuestInfo;
import io.elasticcloud.protocol.agent.GuestInfo.DiskCounters;
import io.elasticcloud.protocol.agent.GuestInfo.NicCounters;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.CpuSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import io.elasticcloud.protocol.agent.GuestSpec.VncSpec;
import io.elasticcloud.protocol.agent.GuestState;
import io.elasticcloud.protocol.agent.HostInfo;
import io.elasticcloud.protocol.agent.Media;
import io.elasticcloud.protocol.agent.NbdExport;
import io.elasticcloud.protocol.agent.NicModel;
import io.elasticcloud.protocol.agent.StateReason;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.Conversion;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.AttachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.CancelImaging;
import io.elasticcloud.protocol.storage.StorageCommands.CreateVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeNode;
import io.elasticcloud.protocol.storage.StorageCommands.DescribeVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DestroyVolume;
import io.elasticcloud.protocol.storage.StorageCommands.DetachVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ExportInfo;
import io.elasticcloud.protocol.storage.StorageCommands.ExportList;
import io.elasticcloud.protocol.storage.StorageCommands.ImageVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ImportVolume;
import io.elasticcloud.protocol.storage.StorageCommands.ListExports;
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

    private static final String SERVER = "3f1c9a52-8d7e-4b61-a0c4-9e2d5f6b7a18";
    private static final GuestSpec GUEST_SPEC = new GuestSpec(SERVER, "web-1 </name><devices>", new CpuSpec(2, 1, 2, 2000), 1024,
            List.of(new DiskSpec(DiskBus.IDE, 0, 0, Media.DISK,
                            new VolumeAttachment(VOLUME, "/var/lib/elastic/volumes/pool-0/" + VOLUME + ".luks",
                                    Cipher.AES_XTS_PLAIN, "q3Jx0vT8w1cZf6Hn2kR4yLb9mE5sA7dUoP0iG3hN1tQ")),
                    new DiskSpec(DiskBus.SCSI, 0, 3, Media.CDROM,
                            new VolumeAttachment(TARGET, null, Cipher.NONE, null, new NbdExport("192.0.2.20", 10810, TARGET, true)))),
            List.of(new NicSpec(0, NicModel.VIRTIO, "52:54:00:12:34:56", "elastic-public", "169.254.10.7", null),
                    new NicSpec(1, NicModel.RTL8139, "52:54:00:ab:cd:ef", null, null, new GuestSpec.VlanSpec("0f3c6a0e-5d55-4f3e-9b1e-2b7d0c1a9e44", 7))),
            List.of("scsi:0:3", "ide:0:0"), new VncSpec("192.0.2.10", "s3cret", true));
    private static final GuestInfo GUEST_INFO = new GuestInfo(SERVER, "web-1", GuestState.RUNNING, 2, 1, 2, 2000, 1024,
            123_456_789_000L, List.of(new DiskCounters("ide:0:0", 4096, 1, 8192, 2)),
            List.of(new NicCounters(0, "52:54:00:12:34:56", 1500, 3, 600, 2)), 5901);
    private static final HostInfo HOST_INFO = new HostInfo("host-a", "kvm", 32, 2600, 128 * 1024, 96 * 1024, 3, 7000, 6144,
            "169.254.250.1", "hv-a.example.net");

    private static final Map<Class<?>, Object> SAMPLES = Stream.of(
            new CreateVolume("cmd-create-1", VOLUME, 10 * GIB, Cipher.AES_XTS_PLAIN),
            new ResizeVolume("cmd-resize-1", VOLUME, 20 * GIB),
            new DestroyVolume("cmd-destroy-1", VOLUME),
            new DescribeVolume("cmd-describe-1", VOLUME),
            new ListVolumes("cmd-list-1"),
            new ImageVolume("cmd-image-1", "job-9f3c", TARGET, new VolumeRef("store-b", VOLUME), 2 * GIB + 17,
                    Conversion.GUNZIP),
            new CancelImaging("cmd-cancel-1", "job-9f3c", TARGET),
            new ImportVolume("cmd-import-1", TARGET, "/var/lib/elastic/library/debian-12-amd64.img.gz", Cipher.NONE),
            new DescribeNode("cmd-node-1"),
            new AttachVolume("cmd-attach-1", VOLUME, "hv-a.example.net", SERVER + "/1740830400123"),
            new DetachVolume("cmd-detach-1", VOLUME, SERVER + "/1740830400123"),
            new ListExports("cmd-exports-1"),
            new ExportList(List.of(new ExportInfo(VOLUME, new NbdExport("192.0.2.20", 10809, VOLUME),
                    List.of(SERVER + "/1740830400123")))),
            new VolumeAttachment(VOLUME, "/var/lib/elastic/volumes/pool-0/" + VOLUME + ".luks", Cipher.AES_XTS_PLAIN,
                    "q3Jx0vT8w1cZf6Hn2kR4yLb9mE5sA7dUoP0iG3hN1tQ"),
            VOLUME_INFO,
            new VolumeList(List.of(VOLUME_INFO, new VolumeInfo(TARGET, 2 * GIB, Cipher.NONE, 0))),
            NODE_STATUS,
            Done.INSTANCE,
            new ErrorReply(ErrorType.BUSY, "drive " + VOLUME + " is busy imaging"),
            new StorageNodeHeartbeat(NODE_STATUS, Instant.parse("2025-03-01T12:00:00.123456789Z")),
            new ImagingProgress("store-a", "job-9f3c", TARGET, 42),
            new ImagingFinished("store-a", "job-9f3c", TARGET, ErrorType.FULL, "drive " + TARGET + " is full"),
            new StartGuest("cmd-start-1", GUEST_SPEC),
            new StopGuest("cmd-stop-1", SERVER),
            new ShutdownGuest("cmd-shutdown-1", SERVER),
            new ResetGuest("cmd-reset-1", SERVER),
            new DestroyGuest("cmd-destroy-guest-1", SERVER),
            new SetGuestLive("cmd-set-1", SERVER, 3000, null),
            new DescribeGuest("cmd-describe-guest-1", SERVER),
            new DescribeGuests("cmd-describe-guests-1", List.of(SERVER, "6b3c1d52-0f6e-4e1b-9a47-1f2d3c4b5a69")),
            new ListGuests("cmd-list-guests-1"),
            new DescribeHost("cmd-host-1"),
            GUEST_INFO,
            new GuestList(List.of(GUEST_INFO)),
            HOST_INFO,
            new AgentHeartbeat(HOST_INFO, List.of(SERVER), Instant.parse("2025-03-01T12:00:05Z")),
            new GuestStateChanged("host-a", SERVER, GuestState.STOPPED, StateReason.GUEST_SHUTDOWN,
                    Instant.parse("2025-03-01T12:01:00Z")))
            .collect(Collectors.toMap(Object::getClass, sample -> sample));

    static <T> T of(Class<T> type) {
        Object sample = SAMPLES.get(type);
        if (sample == null) {
            throw new AssertionError("no sample message for " + type.getName() + ": add one to SampleMessages");
        }
        return type.cast(sample);
    }
}
