package io.elasticcloud.api.server;

import io.elasticcloud.api.drive.Drive;
import io.elasticcloud.protocol.agent.DiskBus;
import io.elasticcloud.protocol.agent.GuestSpec;
import io.elasticcloud.protocol.agent.HostInfo;
import io.elasticcloud.protocol.agent.GuestSpec.CpuSpec;
import io.elasticcloud.protocol.agent.GuestSpec.DiskSpec;
import io.elasticcloud.protocol.agent.GuestSpec.NicSpec;
import io.elasticcloud.protocol.agent.GuestSpec.VncSpec;
import io.elasticcloud.protocol.agent.Media;
import io.elasticcloud.protocol.agent.NicModel;
import io.elasticcloud.protocol.agent.VolumeAttachment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** A server's configuration resolved to what its host runs: the agent's {@link GuestSpec}. */
final class GuestSpecFactory {
    private GuestSpecFactory() {
    }

    /**
     * Whether {@code user}'s guest gets {@code drive} on a device of {@code media} read-only: every
     * cdrom, and every drive the user may read but not write (a standard drive, another customer's
     * drive listing the user in {@code readers}). A guest that could write a library drive would
     * change what every later customer images from it; a reader could change the owner's data.
     */
    static boolean readOnly(UUID user, Drive drive, String media) {
        return "cdrom".equals(media) || !drive.writableBy(user);
    }

    /** {@link #readOnly} for each device of {@code config}, whose drives are {@code drives}. */
    static Map<String, Boolean> readOnly(UUID user, ServerConfig config, Map<String, Drive> drives) {
        Map<String, Boolean> readOnly = new LinkedHashMap<>();
        config.devices().forEach((device, d) -> readOnly.put(device, readOnly(user, drives.get(device), d.media())));
        return readOnly;
    }

    /**
     * @param attachments each device's volume, as its storage node answered {@code AttachVolume}
     * @param readOnly    each device's {@link #readOnly}
     * @param network     the addresses and VLAN taken for this start
     */
    static GuestSpec spec(Server server, ServerConfig config, Map<String, VolumeAttachment> attachments,
                          Map<String, Boolean> readOnly, ServerNetwork.Addresses network) {
        List<DiskSpec> disks = new ArrayList<>();
        config.devices().forEach((device, d) -> disks.add(disk(device, d.media(), attachments.get(device),
                readOnly.get(device))));
        List<NicSpec> nics = new ArrayList<>();
        // nic 0 joins the host's public network (the agent's default), offered nic:0:dhcp's address;
        // nic 1 joins the VLAN's own network, which the agent names from the VLAN
        if (config.hasNic(0)) {
            nics.add(new NicSpec(0, model(config.get("nic:0:model")), config.get("nic:0:mac"), null,
                    network.dhcpIp(), null));
        }
        if (config.hasNic(1)) {
            nics.add(new NicSpec(1, model(config.get("nic:1:model")), config.get("nic:1:mac"), null, null,
                    network.vlan()));
        }
        VncSpec vnc = config.vnc()
                ? new VncSpec(network.vncListen(), config.get("vnc:password"), "on".equals(config.get("vnc:tls")))
                : null;
        int vcpus = server.smpSockets() * server.smpCores();
        return new GuestSpec(server.id().toString(), config.name(),
                new CpuSpec(vcpus, server.smpSockets(), server.smpCores(), config.cpu()), config.mem(), disks, nics,
                config.boot(), vnc);
    }

    private static DiskSpec disk(String device, String media, VolumeAttachment volume, boolean readOnly) {
        String[] parts = device.split(":");
        Media m = media.equals("cdrom") ? Media.CDROM : Media.DISK;
        return switch (parts[0]) {
            case "ide" -> new DiskSpec(DiskBus.IDE, Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), m, volume,
                    readOnly);
            case "scsi" -> new DiskSpec(DiskBus.SCSI, 0, Integer.parseInt(parts[2]), m, volume, readOnly);
            default -> new DiskSpec(DiskBus.BLOCK, 0, Integer.parseInt(parts[1]), m, volume, readOnly);
        };
    }

    private static NicModel model(String model) {
        return NicModel.valueOf(model.toUpperCase(Locale.ROOT));
    }

    /**
     * {@code smp auto}: one vCPU per host core's worth of quota, {@code ceil(cpu / host MHz)}, at
     * most the host's cores; a number asked for is given as is. One socket of that many cores.
     */
    static int vcpus(Integer smp, int cpu, HostInfo host) {
        if (smp != null) {
            return smp;
        }
        int vcpus = (int) Math.ceil((double) cpu / Math.max(1, host.mhz()));
        return Math.max(1, Math.min(vcpus, Math.min(host.cores(), ServerRequest.MAX_SMP)));
    }
}
