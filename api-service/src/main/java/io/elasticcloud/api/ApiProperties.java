package io.elasticcloud.api;

import io.elasticcloud.protocol.settings.DataDirectory;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The API service's configuration ({@code elastic.*}); docs/configuration.md explains each. The
 * data directory ({@code elastic.data-dir}) is shared with the other services: it is bound once,
 * as {@link DataDirectory}.
 *
 * @param adminPassword the admin's password; generated at first start when unset
 * @param busTimeout    how long a command waits for a storage node's or agent's reply
 * @param maxWriteSize  the largest decompressed body one drive write accepts
 * @param writeMemory   how much memory all drive writes together may hold bodies in; past it a
 *                      body is spooled (encrypted) to {@code DATA_DIR/tmp} from its first byte
 * @param masterKeyFile the API service's master key, which seals the VNC passwords in the
 *                      database; default {@code DATA_DIR/keys/master.key}
 * @param writeSpoolDisk how many bytes all spooled drive writes together may hold on disk in
 *                      {@code DATA_DIR/tmp}; a write that would need more is {@code busy}
 */
@ConfigurationProperties("elastic")
public record ApiProperties(
        String adminPassword,
        @DefaultValue("30s") Duration busTimeout,
        @DefaultValue("64MB") DataSize maxWriteSize,
        @DefaultValue("256MB") DataSize writeMemory,
        Path masterKeyFile,
        @DefaultValue("2GB") DataSize writeSpoolDisk) {

    /** Where the master key is: as configured, else {@code DATA_DIR/keys/master.key}. */
    public Path masterKeyPath(DataDirectory data) {
        return masterKeyFile != null ? masterKeyFile : keysDir(data).resolve("master.key");
    }

    /** {@code DATA_DIR/keys}: the admin's password hash and, by default, the master key. */
    public static Path keysDir(DataDirectory data) {
        return data.resolve("keys");
    }
}
