package io.elasticcloud.agent.testing;

import io.elasticcloud.protocol.agent.DiskBus;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.GuestSpec.CpuSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import io.elasticcloud.protocol.agent.Media;
import io.elasticcloud.protocol.agent.NicModel;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import io.elasticcloud.protocol.storage.Cipher;
import java.util.List;
import java.util.UUID;

/** Guest specs for tests. */
public final class Specs {
    private Specs() {
    }

    public static String server() {
        return UUID.randomUUID().toString();
    }

    public static DiskSpec disk(DiskBus bus, int controller, int unit, Media media, String path) {
        return new DiskSpec(bus, controller, unit, media, new VolumeAttachment("vol-" + unit, path, Cipher.NONE, null));
    }

    /** One IDE disk, one e1000 NIC on {@code network}, 1 vCPU of 1000 MHz, 64 MB. */
    public static GuestSpec simple(String server, String path, String network) {
        return new GuestSpec(server, "test " + server.substring(0, 8), new CpuSpec(1, 1, 1, 1000), 64,
                List.of(disk(DiskBus.IDE, 0, 0, Media.DISK, path)),
                List.of(new NicSpec(0, NicModel.E1000, mac(server), network)), List.of(), null);
    }

    public static String mac(String server) {
        String hex = server.replace("-", "");
        return "52:54:00:" + hex.substring(0, 2) + ":" + hex.substring(2, 4) + ":" + hex.substring(4, 6);
    }
}
