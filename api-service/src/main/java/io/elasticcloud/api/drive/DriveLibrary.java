package io.elasticcloud.api.drive;

import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.bus.NodeClient;
import io.elasticcloud.api.storage.StoragePlacement;
import io.elasticcloud.api.web.codec.ApiText;
import io.elasticcloud.protocol.ElasticException;
import io.elasticcloud.protocol.storage.Cipher;
import io.elasticcloud.protocol.storage.NodeStatus;
import io.elasticcloud.protocol.storage.StorageCommands.ImportVolume;
import io.elasticcloud.protocol.storage.VolumeInfo;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operator's library of standard drives: system images (kept gzipped, customers image them
 * with {@code gunzip}) and CD/DVD ISOs, imported from files under chosen UUIDs so the reference
 * catalogue can be reproduced exactly.
 */
@Service
public class DriveLibrary {
    private final DriveRepository drives;
    private final NodeClient storage;
    private final StoragePlacement placement;
    private final DriveTotals totals;
    private final TransactionTemplate tx;
    private final Clock clock;

    DriveLibrary(DriveRepository drives, DriveTotals totals, NodeClient storage, StoragePlacement placement,
                 TransactionTemplate tx, Optional<Clock> clock) {
        this.drives = drives;
        this.totals = totals;
        this.storage = storage;
        this.placement = placement;
        this.tx = tx;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /**
     * Imports the file at {@code path} (on the chosen storage node) as standard drive {@code id}.
     *
     * @param media   {@code disk} (default) or {@code cdrom}
     * @param format  {@code gzip} for a gzipped image, else raw
     * @param rawSize the gunzipped size of a gzip image, shown as {@code rawsize}
     */
    public Drive importStandard(UUID id, String name, String path, String media, String format, Long rawSize) {
        String checkedName = KeyRules.name("name", name);
        String checkedMedia = media == null ? "disk" : media;
        if (!checkedMedia.equals("disk") && !checkedMedia.equals("cdrom")) {
            throw ElasticException.usage("media must be disk or cdrom, not %s", ApiText.quote(checkedMedia));
        }
        String checkedFormat = format == null || format.equals("raw") ? null : format;
        if (checkedFormat != null && !checkedFormat.equals("gzip")) {
            throw ElasticException.usage("format must be gzip or raw, not %s", ApiText.quote(format));
        }
        if (path == null || !path.startsWith("/")) {
            throw ElasticException.usage("path must be an absolute path on the storage node");
        }
        if (drives.existsById(id)) {
            throw ElasticException.busy("drive %s exists already", id);
        }
        // The row comes first, as for every drive, so that a volume never exists without one
        // (VolumeReconciler removes volumes that do); its size is known once the node has copied.
        Drive drive = placement.locked(() -> {
            NodeStatus chosen = placement.choose(0, Set.of(), totals::bytesOnNode, totals::encryptedOnNode);
            return tx.execute(status -> {
                Drive d = new Drive(id, Drive.LIBRARY_OWNER, new DriveSettings(checkedName, null, null, null, null),
                        0, Cipher.NONE, chosen.node(), clock.instant());
                d.makeStandard(checkedMedia, checkedFormat, rawSize);
                return totals.add(d);
            });
        });
        String node = drive.storageNode();
        try {
            VolumeInfo volume = storage.call(node,
                    new ImportVolume("import-" + id, id.toString(), path, Cipher.NONE));
            return tx.execute(status -> {
                totals.resize(drive.id(), volume.size());
                return drives.findById(drive.id()).orElseThrow();
            });
        } catch (RuntimeException e) {
            tx.executeWithoutResult(status -> totals.remove(id));
            throw e;
        }
    }
}
