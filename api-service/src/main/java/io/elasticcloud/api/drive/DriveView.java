package io.elasticcloud.api.drive;

import io.elasticcloud.api.common.UserKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A drive's info keys, in the order the API shows them. */
public final class DriveView {
    private DriveView() {
    }

    /**
     * What a drive's info shows beside its row: the state of things around it.
     *
     * @param imaging   the progress of the imaging jobs targeting this drive, oldest first (null:
     *                  queued)
     * @param reachable whether its storage node is reachable ({@code status active})
     * @param claimed   the servers using it as the viewer may see them ({@link DriveClaims#claimed}),
     *                  empty if none; an unfinished imaging's claim ({@link DriveImaging#claim}) is
     *                  shown before them
     * @param pending   its I/O counts not yet in the database
     */
    public record Around(List<Integer> imaging, boolean reachable, String claimed, DriveCounters.Counts pending) {
        /** A drive nothing is happening to (the library's view). */
        public static final Around QUIET = new Around(List.of(), true, "", DriveCounters.Counts.NONE);
    }

    public static Map<String, String> info(Drive drive, Around around) {
        boolean reachable = around.reachable();
        String claimed = DriveImaging.claim(drive.id(), around.imaging())
                .map(imaging -> around.claimed().isEmpty() ? imaging : imaging + " " + around.claimed())
                .orElse(around.claimed());
        DriveCounters.Counts pending = around.pending();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("name", drive.name());
        info.put("drive", drive.id().toString());
        info.put("size", Long.toString(drive.size()));
        info.put("status", reachable ? "active" : "inactive");
        if (!claimed.isEmpty()) {
            info.put("claimed", claimed);
        }
        info.put("claim:type", drive.claimType().apiName());
        DriveImaging.imagingState(around.imaging()).ifPresent(state -> info.put("imaging", state));
        if (drive.imagingError() != null) {
            info.put("imaging:error", drive.imagingError());
        }
        info.put("encryption:cipher", drive.cipher().apiName());
        info.put("readers", drive.readers());
        info.put("tags", drive.tags());
        info.put("user", drive.owner().toString());
        info.put("read:bytes", Long.toString(drive.readBytes() + pending.readBytes()));
        info.put("read:requests", Long.toString(drive.readRequests() + pending.readRequests()));
        info.put("write:bytes", Long.toString(drive.writeBytes() + pending.writeBytes()));
        info.put("write:requests", Long.toString(drive.writeRequests() + pending.writeRequests()));
        if (drive.standard()) {
            info.put("media", drive.media());
            if (drive.format() != null) {
                info.put("format", drive.format());
            }
            if (drive.rawSize() != null) {
                info.put("rawsize", Long.toString(drive.rawSize()));
            }
        }
        UserKeys.parse(drive.userKeys()).forEach((k, v) -> info.put("user:" + k, v));
        return info;
    }
}
