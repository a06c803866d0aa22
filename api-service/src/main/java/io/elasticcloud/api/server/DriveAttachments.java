package io.elasticcloud.api.server;

import io.elasticcloud.api.drive.ClaimType;
import io.elasticcloud.api.drive.Drive;
import io.elasticcloud.api.drive.DriveService;
import io.elasticcloud.api.storage.StorageNodes;
import io.elasticcloud.protocol.ElasticException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Which drives a server may attach, which it may claim when it starts, and which hosts it must avoid for them. */
@Component
class DriveAttachments {
    private final DriveService drives;
    private final ServerRepository servers;
    private final StorageNodes storageNodes;

    DriveAttachments(DriveService drives, ServerRepository servers, StorageNodes storageNodes) {
        this.drives = drives;
        this.servers = servers;
        this.storageNodes = storageNodes;
    }

    /**
     * The drives of the configuration, each attachable by the user ({@link #attachable}), not being
     * imaged (nor imaged from, where the guest could write it) and, if exclusive, used by no other
     * server; their rows locked (in UUID order) until
     * the start is recorded, so that the owner's {@code set}, {@code image} and {@code destroy}
     * happen wholly before or after. An exclusive drive's owner is never kept out by another
     * customer's (read-only) server: only by its own.
     */
    Map<String, Drive> claimable(UUID user, UUID id, ServerConfig config) {
        Map<UUID, Drive> locked = new TreeMap<>();
        config.devices().entrySet().stream().sorted(Map.Entry.comparingByValue(
                Comparator.comparing(ServerConfig.Device::drive))).forEach(e -> locked.computeIfAbsent(
                e.getValue().drive(), drive -> lockedReadable(user, e.getKey(), drive)));
        Map<String, Drive> attached = new LinkedHashMap<>();
        config.devices().forEach((device, d) -> {
            Drive drive = locked.get(d.drive());
            checkBus(user, device, d, drive);
            if (drives.beingImaged(drive.id())) {
                throw ElasticException.busy("%s: drive %s is being imaged", device, drive.id());
            }
            if (!GuestSpecFactory.readOnly(user, drive, d.media()) && drives.imagedFrom(drive)) {
                // read-only (a cdrom, a reader's, the library's) it may start: the copy only reads it
                throw ElasticException.busy("%s: drive %s is being imaged from: the guest would write it mid-copy",
                        device, drive.id());
            }
            if (drive.claimType() == ClaimType.EXCLUSIVE) {
                boolean owner = drive.owner().equals(user);
                servers.findOnHostUsing(drive.id()).stream()
                        .filter(other -> !other.id().equals(id))
                        .filter(other -> !owner || other.owner().equals(user)).findFirst().ifPresent(other -> {
                            throw ElasticException.busy("%s: drive %s is in use by %s", device, drive.id(),
                                    other.namedFor(user));
                        });
            }
            attached.put(device, drive);
        });
        return attached;
    }

    /**
     * A drive the user may put on {@code device}: one they may read ({@code usage} naming the
     * device otherwise), and not a read-only drive on an IDE hard disk, which QEMU cannot make
     * read-only ({@code usage}: a cdrom, {@code scsi} or {@code block} device can).
     */
    Drive attachable(UUID user, String device, ServerConfig.Device d) {
        Drive drive;
        try {
            drive = drives.readable(user, d.drive());
        } catch (ElasticException e) {
            throw ElasticException.usage("%s: no drive %s", device, d.drive());
        }
        checkBus(user, device, d, drive);
        return drive;
    }

    private Drive lockedReadable(UUID user, String device, UUID drive) {
        try {
            return drives.readableLocked(user, drive);
        } catch (ElasticException e) {
            throw ElasticException.usage("%s: no drive %s", device, drive);
        }
    }

    private static void checkBus(UUID user, String device, ServerConfig.Device d, Drive drive) {
        if (device.startsWith("ide:") && "disk".equals(d.media()) && GuestSpecFactory.readOnly(user, drive, d.media())) {
            throw ElasticException.usage("%s: drive %s can only be attached read-only, and an IDE disk cannot be:"
                    + " use %s:media cdrom, or a scsi or block device", device, drive.id(), device);
        }
    }

    /**
     * The hosts the server must avoid: those of the user's running servers in {@code avoid:servers},
     * and those whose hardware holds a drive of {@code avoid:drives}. A host's physical hardware is
     * named by its node name; a storage node's by its {@code hardware}: one machine when the two
     * are equal (servers or drives destroyed since are no longer avoided).
     */
    Set<String> avoidedHosts(UUID user, UUID id, ServerConfig config) {
        Set<String> hosts = new HashSet<>();
        for (UUID other : config.avoid("avoid:servers")) {
            servers.findById(other).filter(s -> s.owner().equals(user) && !s.id().equals(id) && s.status().onHost())
                    .ifPresent(s -> hosts.add(s.host()));
        }
        for (UUID drive : config.avoid("avoid:drives")) {
            try {
                Drive d = drives.owned(user, drive);
                storageNodes.status(d.storageNode()).ifPresent(node -> hosts.add(node.hardware()));
            } catch (ElasticException gone) {
                // destroyed since: nothing to avoid
            }
        }
        return hosts;
    }
}
