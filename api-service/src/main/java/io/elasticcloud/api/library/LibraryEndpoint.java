package io.elasticcloud.api.library;

import io.elasticcloud.api.common.KeyRules;
import io.elasticcloud.api.drive.Drive;
import io.elasticcloud.api.drive.DriveLibrary;
import io.elasticcloud.api.drive.DriveService;
import io.elasticcloud.api.drive.DriveView;
import io.elasticcloud.protocol.ElasticException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/library}: the admin lists the standard drives (GET) and imports one from a
 * file on a storage node (POST, JSON {@code drive, name, path, media, format, rawsize}).
 * {@code deploy/import-standard-drive.sh} wraps it.
 */
@Component
@Endpoint(id = "library")
public class LibraryEndpoint {
    private final DriveLibrary library;
    private final DriveService drives;

    public LibraryEndpoint(DriveLibrary library, DriveService drives) {
        this.library = library;
        this.drives = drives;
    }

    @ReadOperation
    public List<Map<String, String>> list() {
        return drives.standard().stream().map(d -> DriveView.info(d, DriveView.Around.QUIET)).toList();
    }

    @WriteOperation
    public Map<String, String> importDrive(String drive, String name, String path, @Nullable String media,
                                           @Nullable String format, @Nullable Long rawsize) {
        UUID id = KeyRules.parseUuid(drive).orElseThrow(() -> ElasticException.usage("drive must be a UUID"));
        Drive imported = library.importStandard(id, name, path, media, format, rawsize);
        return DriveView.info(imported, DriveView.Around.QUIET);
    }
}
